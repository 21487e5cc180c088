import type { ColumnSpec, EntitySpec } from './spec.js';

/**
 * The CSV shape of each entity, declared once. Types, lengths and enum values follow the
 * tenant schema (migrations/tenant/0001_platform.sql); `default` repeats the table's
 * NOT NULL defaults so that an empty field means "the default", not a constraint error.
 */

const money = (csv: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ csv, column: csv, type: 'numeric', precision: 12, scale: 2, ...extra });
const text = (csv: string, maxLength?: number, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ csv, column: csv, type: 'text', maxLength, ...extra });
const ts = (csv: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ csv, column: csv, type: 'timestamptz', ...extra });
const json = (csv: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ csv, column: csv, type: 'jsonb', ...extra });

export const products: EntitySpec = {
  name: 'products',
  table: 'products',
  columns: [
    text('sku', 100, { required: true }),
    text('name', 500, { required: true }),
    text('description'),
    text('category', 255),
    text('brand', 255),
    { csv: 'weight_grams', column: 'weight_grams', type: 'integer' },
    json('dimensions'),
    text('hsn_code', 50),
    money('cost_price'),
    money('selling_price'),
    money('mrp'),
    { csv: 'tax_rate', column: 'tax_rate', type: 'numeric', precision: 5, scale: 2 },
    json('images'),
    json('attributes'),
    { csv: 'is_active', column: 'is_active', type: 'boolean', default: true },
  ],
  naturalKey: ['sku'],
  conflictColumns: ['sku'],
  softDelete: 'deleted_at',
  updatedAt: 'updated_at',
  dateColumn: 'created_at',
  // The documented export types (role_security_settings.allowed_exports) have no
  // "products"; the catalogue belongs to "inventory".
  exportType: 'inventory',
};

const ORDER_STATUS = ['pending', 'confirmed', 'processing', 'shipped', 'delivered', 'cancelled', 'returned'];
const PAYMENT_STATUS = ['pending', 'paid', 'cod', 'refunded', 'failed'];
const FULFILLMENT_STATUS = ['unfulfilled', 'partial', 'fulfilled'];
const PAYMENT_METHOD = ['cod', 'prepaid', 'card', 'upi', 'wallet', 'netbanking'];

export const orders: EntitySpec = {
  name: 'orders',
  table: 'orders',
  lookups: [
    {
      table: 'sales_channels',
      target: 'channel_id',
      columns: [
        { csv: 'channel', column: 'name', type: 'text', maxLength: 255, required: true },
        { csv: 'channel_type', column: 'channel_type_code', type: 'text', maxLength: 50 },
      ],
      // A channel named in the file but unknown to the tenant is created, disconnected
      // (no credentials yet), so that order history can be loaded before integrations.
      create: { constants: { credentials: {}, status: 'disconnected' }, codes: { csv: 'channel_type', sharedTable: 'channel_types' } },
    },
  ],
  columns: [
    text('external_order_id', 255, { required: true }),
    text('order_number', 100, { required: true }),
    text('external_order_number', 255),
    { csv: 'status', column: 'status', type: 'enum', values: ORDER_STATUS, default: 'pending' },
    { csv: 'payment_status', column: 'payment_status', type: 'enum', values: PAYMENT_STATUS, default: 'pending' },
    { csv: 'fulfillment_status', column: 'fulfillment_status', type: 'enum', values: FULFILLMENT_STATUS, default: 'unfulfilled' },
    text('customer_name', 255, { required: true }),
    text('customer_email', 255, { personal: 'email' }),
    text('customer_phone', 20, { personal: 'phone' }),
    json('shipping_address', { required: true, personal: 'address' }),
    json('billing_address', { personal: 'address' }),
    money('subtotal', { required: true }),
    money('discount_amount'),
    money('tax_amount'),
    money('shipping_amount'),
    money('total_amount', { required: true }),
    text('currency', 3, { default: 'INR' }),
    { csv: 'payment_method', column: 'payment_method', type: 'enum', values: PAYMENT_METHOD },
    text('payment_gateway', 50),
    text('payment_reference', 255),
    ts('order_date', { required: true }),
    ts('confirmed_at'),
    ts('shipped_at'),
    ts('delivered_at'),
    ts('cancelled_at'),
    text('notes'),
    json('tags'),
    json('metadata'),
  ],
  naturalKey: ['channel', 'external_order_id'],
  conflictColumns: ['channel_id', 'external_order_id'],
  child: {
    table: 'order_items',
    parentKey: 'order_id',
    columns: [
      { csv: 'item_sku', column: 'sku', type: 'text', maxLength: 100 },
      { csv: 'item_name', column: 'name', type: 'text', maxLength: 500, required: true },
      { csv: 'item_quantity', column: 'quantity', type: 'integer', required: true },
      { csv: 'item_unit_price', column: 'unit_price', type: 'numeric', precision: 12, scale: 2, required: true },
      { csv: 'item_discount_amount', column: 'discount_amount', type: 'numeric', precision: 12, scale: 2 },
      { csv: 'item_tax_amount', column: 'tax_amount', type: 'numeric', precision: 12, scale: 2 },
      { csv: 'item_total_amount', column: 'total_amount', type: 'numeric', precision: 12, scale: 2, required: true },
      { csv: 'item_fulfilled_quantity', column: 'fulfilled_quantity', type: 'integer', default: 0 },
      { csv: 'item_external_product_id', column: 'external_product_id', type: 'text', maxLength: 255 },
      { csv: 'item_external_variant_id', column: 'external_variant_id', type: 'text', maxLength: 255 },
      { csv: 'item_metadata', column: 'metadata', type: 'jsonb' },
    ],
    // A line whose sku is in the tenant's catalogue points at that product.
    links: [{ csv: 'item_sku', table: 'products', matchColumn: 'sku', target: 'product_id' }],
  },
  updatedAt: 'updated_at',
  dateColumn: 'order_date',
  statusColumn: 'status',
  exportType: 'orders_csv',
};

/** Every entity that `import` and `export` know, by name. */
export const ENTITIES: Readonly<Record<string, EntitySpec>> = { products, orders };
