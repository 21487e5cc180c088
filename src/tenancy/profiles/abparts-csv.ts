import { boolean, integer, numeric, oneOf, text, textArray, timestamp } from '../../csv/columns.js';
import type { EntitySpec } from '../../csv/spec.js';

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
  noReplace: true,
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

export const ABPARTS_CSV: Readonly<Record<string, EntitySpec>> = { products: abpartsProducts, inventory: abpartsInventory };
