import type { PooledDeclarations } from '../declarations.js';

/**
 * What the IMSOP schema (seeds 000 + 001, migrations/imsop) cannot tell the catalog
 * (POOLED.md §1): the owner path of each two-parent row, the global permission catalogue,
 * and the personal data kept outside the foreign keys. Everything else (nine direct tables,
 * the indirect ones, every cross-tenant reference and its default action) is found from the
 * catalog. The seam embeds this in the `imsop` profile.
 */
export const IMSOP_DECLARATIONS: PooledDeclarations = {
  schema: 'public',
  registry: { table: 'organizations', key: 'id', handle: 'name', status: 'status' },
  // No foreign key is tenant-consistent, so a two-parent row can span tenants: its owner is
  // the parent that locates it (the warehouse holds the stock, the order holds its lines, the
  // user holds their role assignments).
  ownerPaths: [
    { table: 'inventory', columns: ['warehouse_id'] },
    { table: 'purchase_order_items', columns: ['purchase_order_id'] },
    { table: 'user_roles', columns: ['user_id'] },
  ],
  globalTables: ['permissions'],
  people: [{ table: 'users', emailColumn: 'email' }],
  names: [{ table: 'users', columns: ['first_name', 'last_name'] }],
  personalData: [
    { table: 'analytics_events', column: 'entity_id', holds: 'ids', of: 'users', action: 'nullify' },
    { table: 'analytics_events', column: 'metadata', holds: 'emails', action: 'scrub' },
    // Free text: people write e-mails into notes in any shape; counted and reported, not rewritten.
    { table: 'inventory_transactions', column: 'notes', holds: 'emails', action: 'report' },
    { table: 'purchase_orders', column: 'notes', holds: 'emails', action: 'report' },
    { table: 'inventory_transactions', column: 'notes', holds: 'names', action: 'report' },
    { table: 'purchase_orders', column: 'notes', holds: 'names', action: 'report' },
    { table: 'inventory_transactions', column: 'reference_id', holds: 'ids', of: 'purchase_orders', action: 'report' },
  ],
  references: [
    { table: 'shipments', columns: ['origin_warehouse_id'], action: 'nullify', note: 'a transfer from the erased tenant\'s warehouse: origin cleared, the other tenant\'s shipment kept (reported)' },
    { table: 'shipments', columns: ['destination_warehouse_id'], action: 'nullify', note: 'a transfer into the erased tenant\'s warehouse: destination cleared, the other tenant\'s shipment kept (reported)' },
  ],
};
