import type { RegistrySpec } from '../profile.js';

/**
 * Seed 004's tenant registry, public.tenants: its own module (plain data) so that the
 * commerce profile and the schema-per-tenant storage built from it share one description.
 */
export const COMMERCE_REGISTRY: RegistrySpec = {
  schema: 'public',
  table: 'tenants',
  key: 'id',
  handle: 'slug',
  handleLabel: 'slug',
  name: 'name',
  status: { column: 'status', active: 'active', suspended: 'suspended', words: ['active', 'suspended', 'cancelled'] },
  softDelete: null,
  // the plan comes from the live subscription (src/sql/tenants/list.sql)
  plan: null,
  createdAt: 'created_at',
  targetColumn: 'schema_name',
  // A tenant's rows in the shared schema beside its registry row (restored with it).
  companions: [
    { table: 'subscriptions', column: 'tenant_id', key: 'id' },
    { table: 'tenant_features', column: 'tenant_id', key: 'id' },
    { table: 'audit_logs', column: 'tenant_id', key: 'id' },
  ],
};
