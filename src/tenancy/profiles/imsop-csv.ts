import { date, integer, line, numeric, oneOf, text } from '../../csv/columns.js';
import type { EntitySpec } from '../../csv/spec.js';

/**
 * IMSOP's CSV entities (migrations/imsop, POOLED.md §1 "CSV"): products and purchase
 * orders, each scoped by `organization_id` (set by tenantctl, never read from the file).
 * Enums are native types (`products_status_enum`); times are `timestamp` (UTC).
 */

const TENANT = { column: 'organization_id' } as const;

export const imsopProducts: EntitySpec = {
  name: 'products',
  table: 'products',
  tenant: TENANT,
  columns: [
    text('sku', 100, { required: true }),
    text('name', 255, { required: true }),
    text('description'),
    text('category', 100),
    text('unit_of_measure', 20),
    numeric('unit_cost', 12, 4),
    numeric('selling_price', 12, 4),
    integer('reorder_level', { default: 0 }),
    integer('reorder_quantity', { default: 0 }),
    oneOf('status', ['active', 'discontinued', 'archived'], { pgType: 'products_status_enum', default: 'active' }),
  ],
  naturalKey: ['sku'],
  conflictColumns: ['organization_id', 'sku'],
  updatedAt: 'updated_at',
  dateColumn: 'created_at',
  statusColumn: 'status',
  // Inventory and order lines reference products (NO ACTION) and the table has no
  // deleted_at: replace mode archives the products missing from the file.
  retire: { column: 'status', value: 'archived', pgType: 'products_status_enum' },
  audited: false,
};

export const imsopOrders: EntitySpec = {
  name: 'orders',
  table: 'purchase_orders',
  tenant: TENANT,
  lookups: [
    {
      // supplier_id is NOT NULL: the supplier by name, among the organization's own only.
      // Names are not unique: two suppliers of one name are an error (never a guess).
      table: 'suppliers',
      target: 'supplier_id',
      tenantColumn: 'organization_id',
      columns: [text('supplier', 255, { column: 'name', required: true })],
    },
  ],
  columns: [
    text('po_number', 100, { required: true }),
    oneOf('status', ['draft', 'submitted', 'confirmed', 'shipped', 'received', 'cancelled'], { pgType: 'purchase_orders_status_enum', default: 'draft' }),
    date('order_date', { required: true }),
    date('expected_delivery_date'),
    date('actual_delivery_date'),
    numeric('total_amount', 14, 2),
    text('currency', 3, { default: 'USD' }),
    text('notes'),
  ],
  naturalKey: ['po_number'],
  conflictColumns: ['organization_id', 'po_number'],
  child: {
    table: 'purchase_order_items',
    parentKey: 'purchase_order_id',
    columns: [
      // The line's product by sku, in the SAME organization (never another's product).
      line(text('sku', 100, { required: true, linkOnly: true })),
      line(integer('quantity_ordered', { required: true })),
      line(integer('quantity_received', { default: 0 })),
      line(numeric('unit_price', 12, 4)),
      line(numeric('line_total', 14, 2)),
    ],
    links: [{ csv: 'item_sku', table: 'products', matchColumn: 'sku', target: 'product_id', tenantColumn: 'organization_id', required: true }],
  },
  updatedAt: 'updated_at',
  dateColumn: 'order_date',
  statusColumn: 'status',
  audited: false,
};

export const IMSOP_CSV: Readonly<Record<string, EntitySpec>> = { products: imsopProducts, orders: imsopOrders };
