import type { PersonalDataColumn, PooledDeclarations } from '../declarations.js';

/** The nil uuid: what a NOT NULL entity id of an erased person becomes in kept audit rows. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** The organization's tables whose rows audit_logs.entity_id names (besides users). */
const AUDITED = ['organizations', 'workspaces', 'departments', 'employees', 'customers', 'products', 'suppliers', 'orders', 'deals', 'invoices', 'projects', 'tasks'];

/** Log text where people's e-mails and names and the tenant's id end up. */
const logText = (table: string, column: string): PersonalDataColumn[] => [
  { table, column, holds: 'emails', action: 'scrub' },
  { table, column, holds: 'names', action: 'scrub' },
  { table, column, holds: 'tenant-id', action: 'scrub' },
];

/**
 * What the Prometric ERP schema (seed 003, migrations/prometric) cannot tell the catalog
 * (POOLED.md §3): people are a shared identity (a `users` row belongs to a tenant through
 * `employees`, and is erased only when no other tenant employs them), `system_logs` carries a
 * tenant id without a foreign key, audit rows of other tenants are anonymized rather than
 * deleted, polymorphic and array columns hold the tenant's ids, verification codes are keyed
 * by e-mail too, and the sales matview holds the tenant's totals. The seam embeds this in
 * the `prometric` profile.
 */
export const PROMETRIC_DECLARATIONS: PooledDeclarations = {
  schema: 'public',
  registry: { table: 'organizations', key: 'id', handle: 'bin', status: 'status' },
  tenantColumns: [{ table: 'system_logs', column: 'organization_id' }],
  // Line rows have two parents; the document they are lines of owns them.
  ownerPaths: [
    { table: 'order_items', columns: ['order_id'] },
    { table: 'deal_products', columns: ['deal_id'] },
    { table: 'deal_activities', columns: ['deal_id'] },
    { table: 'bom_components', columns: ['bom_id'] },
  ],
  // organization_role is one role for every organization a person works for (the seed has no
  // per-organization role): a person kept for B may hold the role A gave them. Reported, never changed.
  sharedIdentity: { table: 'users', key: 'id', membership: { table: 'employees', personColumn: 'user_id', tenantColumn: 'organization_id' }, personWide: ['organization_role'] },
  references: [
    {
      table: 'audit_logs', columns: ['user_id'], action: 'anonymize',
      set: { user_email: null, ip_address: null, user_agent: null, session_id: null },
      note: 'another tenant\'s (or the platform\'s) audit trail: the row stays, the erased person is removed from it',
    },
    {
      table: 'system_logs', columns: ['user_id'], action: 'anonymize', set: { session_id: null },
      note: 'another tenant\'s (or the platform\'s) log: the row stays, the erased person and their session are removed from it',
    },
  ],
  // system_logs.user_id names a person without a foreign key; followed like one, so the person's session goes with the id.
  virtualReferences: [{ table: 'system_logs', columns: ['user_id'], references: { table: 'users', columns: ['id'] }, enforcedBy: 'no constraint: a user id column without a foreign key' }],
  people: [{ table: 'users', emailColumn: 'email' }],
  names: [{ table: 'users', columns: ['first_name', 'last_name'] }],
  personalData: [
    { table: 'email_verifications', column: 'email', holds: 'emails', action: 'delete' },
    { table: 'audit_logs', column: 'entity_id', holds: 'ids', of: 'users', action: 'nullify', replaceWith: NIL_UUID },
    // Polymorphic (entity_type says which table), like tasks.related_entity_id: the ids of the
    // organization's rows an audit trail names. A restore --as re-points them at the copy's rows; an
    // erasure clears another tenant's (or the platform's) audit row naming an erased one.
    ...AUDITED.map((of): PersonalDataColumn => ({ table: 'audit_logs', column: 'entity_id', holds: 'ids', of, action: 'nullify', replaceWith: NIL_UUID })),
    // An e-mail typed at a failed login has no user id for the anonymize rule to follow: matched by
    // value. Such a row (no user id) is about that person alone: its IP, agent and session are theirs too.
    { table: 'audit_logs', column: 'user_email', holds: 'emails', action: 'nullify', alongside: { columns: ['ip_address', 'user_agent', 'session_id'], whereNull: 'user_id' } },
    { table: 'audit_logs', column: 'new_values', holds: 'ids', of: 'customers', action: 'report' },
    { table: 'audit_logs', column: 'old_values', holds: 'ids', of: 'customers', action: 'report' },
    // The erased people's e-mails and names inside other tenants' audit JSON (the customers' ids are only reported).
    { table: 'audit_logs', column: 'new_values', holds: 'emails', action: 'scrub' },
    { table: 'audit_logs', column: 'new_values', holds: 'names', action: 'scrub' },
    { table: 'audit_logs', column: 'old_values', holds: 'emails', action: 'scrub' },
    { table: 'audit_logs', column: 'old_values', holds: 'names', action: 'scrub' },
    // The rest of an audit row's free text (POOLED.md §3: audit JSON is personal data).
    ...logText('audit_logs', 'changes'),
    ...logText('audit_logs', 'metadata'),
    ...logText('audit_logs', 'reason'),
    // Another tenant's order may carry the person's e-mail in its addresses (names there are the customer's).
    { table: 'orders', column: 'shipping_address', holds: 'emails', action: 'scrub' },
    { table: 'orders', column: 'billing_address', holds: 'emails', action: 'scrub' },
    ...logText('system_logs', 'message'),
    ...logText('system_logs', 'stack_trace'),
    ...logText('system_logs', 'metadata'),
    // Polymorphic: related_entity_type says which table; every one the application links is listed.
    { table: 'tasks', column: 'related_entity_id', holds: 'ids', of: 'customers', action: 'nullify' },
    { table: 'tasks', column: 'related_entity_id', holds: 'ids', of: 'deals', action: 'nullify' },
    { table: 'tasks', column: 'related_entity_id', holds: 'ids', of: 'orders', action: 'nullify' },
    { table: 'deal_activities', column: 'participants', holds: 'ids', of: 'employees', action: 'scrub' },
    { table: 'production_orders', column: 'assigned_team', holds: 'ids', of: 'employees', action: 'scrub' },
  ],
  postSteps: [{ kind: 'refresh-materialized-view', view: 'daily_sales_summary' }],
};
