import type { PersonalDataColumn, PooledDeclarations } from '../declarations.js';

/** Free text where ABParts people write who did what: e-mails and usernames, full names, user and warehouse ids, the tenant id. */
const scrubbed = (table: string, column: string, alongside?: PersonalDataColumn['alongside']): PersonalDataColumn[] => [
  { table, column, holds: 'emails', action: 'scrub', ...(alongside ? { alongside } : {}) },
  { table, column, holds: 'names', action: 'scrub', ...(alongside ? { alongside } : {}) },
  { table, column, holds: 'ids', of: 'users', action: 'scrub', ...(alongside ? { alongside } : {}) },
  { table, column, holds: 'ids', of: 'warehouses', action: 'scrub' },
  { table, column, holds: 'tenant-id', action: 'scrub' },
];

/** The placeholder that `--shared-rows tombstone` re-points other tenants' rows at (fixed ids: reused by every erasure). */
export const ABPARTS_TOMBSTONE = {
  organization: '0e0e0e0e-0000-4000-8000-00000000dead',
  user: '0e0e0e0e-0000-4000-8000-00000001dead',
  warehouse: '0e0e0e0e-0000-4000-8000-00000002dead',
} as const;

/**
 * What the ABParts schema (seed 002, migrations/abparts) cannot tell the catalog (POOLED.md
 * §2): the platform singletons, the owner among customer_orders' two registry columns, the
 * owner paths of rows with several parents (a transaction belongs to the warehouse it leaves,
 * or, for a creation, the one it enters, else its machine, else its performer), the global parts catalogue, the references whose
 * default is wrong (a supplier's parent, transfers), co-owned transfers, personal data in
 * free text, and the "erased organization" placeholder. The seam embeds this in `abparts`.
 */
export const ABPARTS_DECLARATIONS: PooledDeclarations = {
  schema: 'public',
  registry: {
    table: 'organizations', key: 'id', handle: 'name', status: 'is_active',
    nonErasable: { column: 'organization_type', values: ['oraseas_ee', 'bossaqua'], reason: 'it is a platform singleton (oraseas_ee, bossaqua)' },
  },
  tenantColumns: [{ table: 'customer_orders', column: 'customer_organization_id' }],
  ownerPaths: [
    // POOLED.md §2: a transaction has four owner paths. The warehouse it leaves, else (a creation)
    // the one it enters, else (an adjustment with no warehouse) the machine it is about, else its performer.
    { table: 'transactions', columns: ['from_warehouse_id'], orElse: [['to_warehouse_id'], ['machine_id'], ['performed_by_user_id']] },
    { table: 'stock_adjustments', columns: ['inventory_id'] },
    { table: 'transaction_approvals', columns: ['transaction_id'] },
    { table: 'user_management_audit_logs', columns: ['user_id'] },
  ],
  globalTables: ['parts'],
  references: [
    { table: 'organizations', columns: ['parent_organization_id'], action: 'refuse', note: 'a supplier whose parent is the tenant: NULL breaks supplier_must_have_parent; re-parent or erase the supplier first' },
    // Two rules on one column: another tenant's transfer into this tenant's warehouse, and this tenant's own transfer into another's.
    { table: 'transactions', columns: ['to_warehouse_id'], kind: 'reference', action: 'tombstone', note: 'a transfer into the tenant\'s warehouse: the other side\'s stock derives from it, and NULL breaks valid_transaction_warehouses' },
    { table: 'transactions', columns: ['to_warehouse_id'], kind: 'co-owned', action: 'tombstone', note: 'the tenant\'s transfer into another tenant\'s warehouse: that warehouse\'s stock derives from it' },
    // The tenant's own orders that the distributor keeps: the customer side goes, with who ordered
    // and the notes. Another tenant's order naming the tenant as its distributor keeps both.
    { table: 'customer_orders', columns: ['oraseas_organization_id'], kind: 'co-owned', action: 'tombstone', set: { ordered_by_user_id: null, notes: null }, note: 'the distributor\'s sales record of this customer\'s order, under legal retention (GDPR Art. 17(3)(b))' },
  ],
  coOwned: [
    { table: 'transactions', columns: ['to_warehouse_id'] },
    { table: 'transactions', columns: ['machine_id'] },
  ],
  people: [{ table: 'users', emailColumn: 'email' }, { table: 'users', emailColumn: 'username' }],
  names: [{ table: 'users', columns: ['name'] }],
  personalData: [
    // A security event with no user id (a failed login) that names the person: its IP, agent and session are theirs too.
    ...scrubbed('security_events', 'details', { columns: ['ip_address', 'user_agent', 'session_id'], whereNull: 'user_id' }),
    ...scrubbed('invitation_audit_logs', 'details'),
    ...scrubbed('user_management_audit_logs', 'details'),
    ...scrubbed('transactions', 'notes'),
    ...scrubbed('stock_adjustments', 'notes'),
    ...scrubbed('transaction_approvals', 'notes'),
    ...scrubbed('part_usage', 'notes'),
    ...scrubbed('machines', 'notes'),
    ...scrubbed('supplier_orders', 'notes'),
    // A customer order's note is the customer's or the distributor's text, and may name another organization's person.
    ...scrubbed('customer_orders', 'notes'),
    { table: 'supplier_orders', column: 'supplier_name', holds: 'tenant-handle', action: 'report' },
  ],
  tombstone: {
    rows: [
      { table: 'organizations', key: ABPARTS_TOMBSTONE.organization, values: { name: 'Erased organization', organization_type: 'customer', is_active: false, address: null, contact_info: null } },
      { table: 'users', key: ABPARTS_TOMBSTONE.user, values: { organization_id: ABPARTS_TOMBSTONE.organization, username: 'erased-user', email: 'erased-user@invalid', password_hash: '!', role: 'user', user_status: 'inactive', is_active: false } },
      { table: 'warehouses', key: ABPARTS_TOMBSTONE.warehouse, values: { organization_id: ABPARTS_TOMBSTONE.organization, name: 'Erased warehouse', is_active: false } },
    ],
  },
};
