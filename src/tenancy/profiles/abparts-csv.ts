import { boolean, integer, line, numeric, oneOf, text, textArray, timestamp } from '../../csv/columns.js';
import type { ChildSpec, EntitySpec } from '../../csv/spec.js';

/**
 * ABParts' CSV entities (migrations/abparts, POOLED.md §2 "CSV"). The parts catalogue is
 * ONE table shared by every organization (no tenant column), so ABParts has two entities
 * where the others have `products`:
 * - `products`: the shared catalogue (`parts`, key `part_number`). Only the platform
 *   distributor (the `oraseas_ee` organization, whose users are the super admins) imports
 *   it; never in replace mode (every organization's stock and orders point at parts).
 *   Any organization may export it.
 * - `inventory`: one organization's stock per warehouse (key warehouse + part_number;
 *   the warehouse among the organization's own, the part from the catalogue, never created).
 * - `orders`: the organization's customer orders to the distributor (`customer_orders`),
 *   and `supplier_orders`: its orders to outside suppliers; each with its lines by part.
 */

export const abpartsProducts: EntitySpec = {
  name: 'products',
  table: 'parts',
  columns: [
    text('part_number', 255, { required: true }),
    text('name', 255, { required: true }),
    text('description'),
    oneOf('part_type', ['consumable', 'bulk_material'], { pgType: 'part_type_enum', default: 'consumable' }),
    boolean('is_proprietary', { default: false }),
    text('unit_of_measure', 50, { default: 'pieces' }),
    text('manufacturer_part_number', 255),
    integer('manufacturer_delivery_time_days'),
    integer('local_supplier_delivery_time_days'),
    textArray('image_urls'),
  ],
  naturalKey: ['part_number'],
  conflictColumns: ['part_number'],
  updatedAt: 'updated_at',
  dateColumn: 'created_at',
  importableBy: { registryColumn: 'organization_type', values: ['oraseas_ee'], reason: 'the parts catalogue is shared by every organization; only the platform distributor maintains it' },
  noReplace: 'every organization shares these rows, so rows missing from the file cannot be removed',
  audited: false,
};

export const abpartsInventory: EntitySpec = {
  name: 'inventory',
  table: 'inventory',
  // No tenant column: a stock row is the organization's through its warehouse.
  tenant: { column: 'warehouse_id', through: { table: 'warehouses', tenantColumn: 'organization_id' } },
  lookups: [
    { table: 'warehouses', target: 'warehouse_id', tenantColumn: 'organization_id', columns: [text('warehouse', 255, { column: 'name', required: true })] },
    { table: 'parts', target: 'part_id', columns: [text('part_number', 255, { required: true })] },
  ],
  columns: [
    numeric('current_stock', 10, 3, { default: 0 }),
    numeric('minimum_stock_recommendation', 10, 3, { default: 0 }),
    text('unit_of_measure', 50, { required: true }),
    text('reorder_threshold_set_by', 50),
    timestamp('last_recommendation_update'),
  ],
  naturalKey: ['warehouse', 'part_number'],
  conflictColumns: ['warehouse_id', 'part_id'],
  updatedAt: 'last_updated',
  dateColumn: 'created_at',
  audited: false,
};

/**
 * Order lines of both order tables: the part by part_number from the shared catalogue
 * (every organization may order any part; never created), quantity and price.
 */
function orderLines(table: string, parentKey: string): ChildSpec {
  return {
    table,
    parentKey,
    columns: [line(text('part_number', 255, { required: true, linkOnly: true })), line(numeric('quantity', 10, 3, { default: 1 })), line(numeric('unit_price', 10, 2))],
    links: [{ csv: 'item_part_number', table: 'parts', matchColumn: 'part_number', target: 'part_id', required: true }],
  };
}

const ORDER_DATES = [timestamp('expected_delivery_date'), timestamp('actual_delivery_date'), text('status', 50, { required: true }), text('notes')];

/**
 * The seed's orders carry no order number or external reference, and no unique constraint
 * beyond the id (a uuid the file cannot know). What a support person recognises an order by
 * is who placed it and when: the key is (organization, `order_date`) — the moment the order
 * was placed, to the microsecond, within the importing organization only (conflictColumns
 * empty: matched among its rows, there is no constraint to conflict on). Two of its orders
 * placed at the same moment cannot be told apart: a line naming such a moment is an error
 * ("matches 2 orders"), never a guess. `distributor` (NOT NULL) is the Oraseas
 * organization by name: only `oraseas_ee` organizations are candidates. `ordered_by` is one
 * of the organization's own users, by username.
 */
export const abpartsOrders: EntitySpec = {
  name: 'orders',
  table: 'customer_orders',
  tenant: { column: 'customer_organization_id' },
  lookups: [
    { table: 'organizations', target: 'oraseas_organization_id', only: { column: 'organization_type', values: ['oraseas_ee'] }, columns: [text('distributor', 255, { column: 'name', required: true })] },
    { table: 'users', target: 'ordered_by_user_id', tenantColumn: 'organization_id', columns: [text('ordered_by', 255, { column: 'username' })] },
  ],
  columns: [timestamp('order_date', { required: true }), ...ORDER_DATES],
  naturalKey: ['order_date'],
  conflictColumns: [],
  child: orderLines('customer_order_items', 'customer_order_id'),
  updatedAt: 'updated_at',
  dateColumn: 'order_date',
  statusColumn: 'status',
  audited: false,
  // An order missing from the file is not the customer's alone to remove (erasure keeps it too, or tombstones it).
  noReplace: 'each order is also the distributor\'s sales record (customer_orders.oraseas_organization_id), kept under legal retention, so orders missing from the file cannot be removed',
};

/**
 * An organization's orders to outside suppliers (named in free text, not referenced). Key:
 * (organization, `supplier_name`, `order_date`), matched like `orders` above.
 */
export const abpartsSupplierOrders: EntitySpec = {
  name: 'supplier_orders',
  table: 'supplier_orders',
  tenant: { column: 'ordering_organization_id' },
  columns: [text('supplier_name', 255, { required: true }), timestamp('order_date', { required: true }), ...ORDER_DATES],
  naturalKey: ['supplier_name', 'order_date'],
  conflictColumns: [],
  child: orderLines('supplier_order_items', 'supplier_order_id'),
  updatedAt: 'updated_at',
  dateColumn: 'order_date',
  statusColumn: 'status',
  audited: false,
};

export const ABPARTS_CSV: Readonly<Record<string, EntitySpec>> = { products: abpartsProducts, inventory: abpartsInventory, orders: abpartsOrders, supplier_orders: abpartsSupplierOrders };
