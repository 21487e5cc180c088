import { boolean, date, integer, json, line, numeric, oneOf, text, textArray } from '../../csv/columns.js';
import type { EntitySpec, LookupSpec } from '../../csv/spec.js';

/**
 * Prometric ERP's CSV entities (migrations/prometric, POOLED.md §3 "CSV"): products and
 * (sales) orders, scoped by `organization_id`; every row also sits in a workspace of the
 * organization, named in the file (`Main` for most). `available_quantity`, `total_amount`
 * and `line_total` are generated: exported, ignored on import. `order_number` is unique
 * across ALL organizations: a number another organization uses is a located error.
 */

const TENANT = { column: 'organization_id' } as const;

/** workspace_id is NOT NULL: the workspace by name, among the organization's own. */
const workspace: LookupSpec = {
  table: 'workspaces',
  target: 'workspace_id',
  tenantColumn: 'organization_id',
  columns: [text('workspace', 255, { column: 'name', required: true })],
};

export const prometricProducts: EntitySpec = {
  name: 'products',
  table: 'products',
  tenant: TENANT,
  lookups: [workspace],
  columns: [
    text('code', 100, { required: true }),
    text('name', 500, { required: true }),
    text('description'),
    oneOf('type', ['PRODUCT', 'MATERIAL', 'SERVICE', 'MANUFACTURED', 'BUNDLE', 'DIGITAL'], { default: 'PRODUCT' }),
    text('unit', 20, { default: 'шт' }),
    oneOf('status', ['ACTIVE', 'INACTIVE', 'DISCONTINUED'], { default: 'ACTIVE' }),
    numeric('price', 12, 2, { default: 0 }),
    numeric('cost', 12, 2, { default: 0 }),
    text('currency', 3, { default: 'KZT' }),
    numeric('vat_rate', 5, 2, { default: '12.00' }),
    boolean('vat_included', { default: true }),
    boolean('vat_exempt', { default: false }),
    boolean('track_inventory', { default: true }),
    integer('stock_level', { default: 0 }),
    integer('reserved_quantity', { default: 0 }),
    integer('available_quantity', { exportOnly: true }),
    integer('min_stock_level', { default: 0 }),
    integer('max_stock_level', { default: 100 }),
    integer('reorder_point', { default: 10 }),
    integer('reorder_quantity', { default: 50 }),
    numeric('weight', 8, 3),
    json('dimensions'),
    text('color', 50),
    text('barcode', 100),
    text('sku', 100),
    json('images', { default: '[]' }),
    json('specifications', { default: '{}' }),
    textArray('tags', { default: '{}' }),
  ],
  naturalKey: ['code'],
  conflictColumns: ['organization_id', 'code'],
  softDelete: 'deleted_at',
  updatedAt: 'updated_at',
  dateColumn: 'created_at',
  statusColumn: 'status',
  // A product in an order, deal or invoice cannot be deleted (trigger): replace soft-deletes.
  retire: { column: 'deleted_at' },
  audited: false,
};

export const prometricOrders: EntitySpec = {
  name: 'orders',
  table: 'orders',
  tenant: TENANT,
  lookups: [
    workspace,
    // created_by is NOT NULL: the acting employee, by employee number, of this organization.
    { table: 'employees', target: 'created_by', tenantColumn: 'organization_id', columns: [text('created_by_employee', 50, { column: 'employee_number', required: true })] },
    // Optional; only the organization's own customers are found (customer_number is global).
    { table: 'customers', target: 'customer_id', tenantColumn: 'organization_id', columns: [text('customer_number', 50)] },
  ],
  columns: [
    text('order_number', 50, { required: true }),
    oneOf('type', ['SALES', 'PURCHASE', 'TRANSFER', 'RETURN', 'ADJUSTMENT'], { default: 'SALES' }),
    oneOf('status', ['pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled', 'returned'], { default: 'pending' }),
    oneOf('priority', ['low', 'normal', 'high', 'urgent'], { default: 'normal' }),
    numeric('subtotal', 15, 2, { default: 0 }),
    numeric('tax_amount', 15, 2, { default: 0 }),
    numeric('discount_amount', 15, 2, { default: 0 }),
    numeric('shipping_cost', 15, 2, { default: 0 }),
    numeric('total_amount', 15, 2, { exportOnly: true }),
    text('currency', 3, { default: 'KZT' }),
    oneOf('payment_status', ['pending', 'partial', 'paid', 'overdue', 'cancelled'], { default: 'pending' }),
    numeric('paid_amount', 15, 2, { default: 0 }),
    date('order_date', { required: true }),
    date('required_date'),
    date('shipped_date'),
    date('delivered_date'),
    json('shipping_address'),
    text('notes'),
    textArray('tags', { default: '{}' }),
  ],
  naturalKey: ['order_number'],
  // The only unique constraint is order_number itself, across every organization.
  conflictColumns: ['order_number'],
  globalUnique: ['order_number'],
  child: {
    table: 'order_items',
    parentKey: 'order_id',
    columns: [
      // Both the snapshot column and the product it names (same organization only).
      line(text('product_code', 100, { required: true })),
      line(text('product_name', 500, { required: true })),
      line(numeric('quantity_ordered', 10, 3, { default: 1 })),
      line(numeric('unit_price', 12, 2, { default: 0 })),
      line(numeric('discount_amount', 12, 2, { default: 0 })),
      line(numeric('tax_percent', 5, 2, { default: 12 })),
      line(numeric('tax_amount', 12, 2, { default: 0 })),
      line(numeric('line_total', 12, 2, { exportOnly: true })),
      // The rest of the line: an import replaces an order's lines, so a column the file does not
      // carry would be reset to its default (a cost, what was shipped) by a round trip.
      line(text('description')),
      line(numeric('quantity_shipped', 10, 3, { default: 0 })),
      line(numeric('quantity_delivered', 10, 3, { default: 0 })),
      line(numeric('quantity_returned', 10, 3, { default: 0 })),
      line(numeric('unit_cost', 12, 2, { default: 0 })),
      line(numeric('discount_percent', 5, 2, { default: 0 })),
      line(boolean('requires_production', { default: false })),
      line(text('production_notes')),
      line(json('specifications', { default: '{}' })),
      line(json('quality_requirements', { default: '{}' })),
      line(json('custom_fields', { default: '{}' })),
      line(text('notes')),
    ],
    links: [{ csv: 'item_product_code', table: 'products', matchColumn: 'code', target: 'product_id', tenantColumn: 'organization_id', required: true }],
  },
  softDelete: 'deleted_at',
  updatedAt: 'updated_at',
  dateColumn: 'order_date',
  statusColumn: 'status',
  retire: { column: 'deleted_at' },
  audited: false,
};

export const PROMETRIC_CSV: Readonly<Record<string, EntitySpec>> = { products: prometricProducts, orders: prometricOrders };
