import { pooledLifecycle } from '../../tenants/pooled/lifecycle.js';
import { usageError } from '../../errors.js';
import { isEmail } from '../../tenants/input.js';
import type { PooledDeclarations } from '../../pooled/declarations.js';
import type { RegistrySpec, TenancyProfile } from '../profile.js';
import { organizationProvisioner } from './imsop-provision.js';

const TIERS = ['starter', 'professional', 'enterprise'] as const;

/** An organization name: any text of 1–255 characters (organizations.name VARCHAR(255)). */
function validateName(handle: string, flag = 'name'): string {
  const name = handle.trim();
  if (!name) throw usageError(`The organization ${flag} is empty.`, 'Example: "Org A" (any text of 1–255 characters).');
  if (name.length > 255) throw usageError(`The organization ${flag} is ${name.length} characters; at most 255 are allowed.`);
  return name;
}

/** The registry, once: the profile's registry and the engine's declaration are the same table. */
const registry: RegistrySpec = {
  schema: 'public',
  table: 'organizations',
  key: 'id',
  handle: 'name',
  handleLabel: 'name',
  name: 'name',
  status: { column: 'status', active: 'active', suspended: 'suspended' },
  softDelete: 'deleted_at',
  plan: 'subscription_tier',
  createdAt: 'created_at',
  targetColumn: null,
};

/**
 * What the catalog cannot tell about IMSOP (POOLED.md §1). Every FK to organizations is
 * found from the catalog; these add the owner path of the two-parent rows, the global
 * catalogue, the cross-tenant reference actions that differ from the defaults, and the
 * personal data outside foreign keys.
 */
const declarations: PooledDeclarations = {
  schema: registry.schema,
  registry: { table: registry.table, key: registry.key, handle: registry.handle, status: registry.status.column },
  // No FK is tenant-consistent, so two-parent rows can span tenants: one owner path each.
  ownerPaths: [
    { table: 'inventory', columns: ['warehouse_id'] },
    { table: 'user_roles', columns: ['user_id'] },
    { table: 'purchase_order_items', columns: ['purchase_order_id'] },
  ],
  globalTables: ['permissions'],
  references: [
    { table: 'user_roles', columns: ['role_id'], action: 'unlink', note: "another organization's user holding this organization's role: remove the link row" },
    { table: 'shipments', columns: ['origin_warehouse_id'], action: 'nullify', note: 'a transfer from the erased organization: the other side keeps its shipment (reported)' },
    { table: 'shipments', columns: ['destination_warehouse_id'], action: 'nullify', note: 'a transfer to the erased organization: the other side keeps its shipment (reported)' },
  ],
  people: [{ table: 'users', emailColumn: 'email' }],
  personalData: [
    { table: 'analytics_events', column: 'entity_id', holds: 'ids', of: 'users', action: 'nullify' },
    { table: 'analytics_events', column: 'metadata', holds: 'emails', action: 'scrub' },
    { table: 'purchase_orders', column: 'notes', holds: 'emails', action: 'report' },
  ],
};

/**
 * IMSOP (seeds 000 + 001): one pooled schema, tenant = one `organizations` row, named by
 * its (globally unique) name; `organization_id` on the rows, row-level security.
 */
export const imsop: TenancyProfile = {
  name: 'imsop',
  description: 'IMSOP inventory management (seeds 000 + 001): pooled, tenant = organizations row, named by name',
  mode: 'pooled',
  registry,
  migrations: { shared: 'imsop', tenant: null },
  validateHandle: validateName,
  provisioning: {
    example: 'tenantctl tenant create "Org A" --owner-email admin@org-a.test --tier professional',
    fields: [
      { key: 'handle', flag: 'name', label: 'Organization name', required: true, check: (v) => (v.trim() && v.trim().length <= 255 ? undefined : '1–255 characters') },
      { key: 'ownerEmail', flag: 'owner-email', label: 'E-mail of the first (admin) user', required: true, check: (v) => (isEmail(v.trim()) ? undefined : 'Enter an e-mail address') },
      { key: 'ownerName', flag: 'owner-name', label: 'Name of the first user', required: false },
      { key: 'tier', flag: 'tier', label: 'Subscription tier', required: false, choices: TIERS, default: 'starter' },
      { key: 'timezone', flag: 'timezone', label: 'Time zone', required: false, default: 'UTC' },
    ],
  },
  // POOLED.md §1: "an admin role (is_system) with every permission (role list from configuration)"
  lifecycle: pooledLifecycle(organizationProvisioner([{ name: 'admin', description: 'Administrator: every permission (created by tenantctl)', permissions: null }])),
  pooled: declarations,
};
