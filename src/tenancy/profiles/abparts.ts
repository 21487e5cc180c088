import { ABPARTS_DECLARATIONS } from '../../pooled/profiles/abparts.js';
import { isEmail } from '../../tenants/input.js';
import { pooledLifecycle } from '../../tenants/pooled/lifecycle.js';
import type { RegistrySpec, TenancyProfile } from '../profile.js';
import { ABPARTS_CSV } from './abparts-csv.js';
import { validateOrganizationName } from './organization-name.js';
import { abpartsProvisioner, TENANT_TYPES } from './abparts-provision.js';
import { characterCount } from '../characters.js';

/** ABParts keeps the status as a boolean: active = true, suspended (deactivated) = false. */
const registry: RegistrySpec = {
  schema: 'public',
  table: 'organizations',
  key: 'id',
  handle: 'name',
  handleLabel: 'name',
  name: 'name',
  status: { column: 'is_active', active: 'true', suspended: 'false', words: ['active', 'suspended'] },
  softDelete: null,
  plan: 'organization_type',
  createdAt: 'created_at',
  targetColumn: null,
  companions: [],
};

/**
 * ABParts (seed 002): one pooled schema; a tenant is a customer or supplier organization,
 * named by its (globally unique) name. Organizations trade with each other, so erasure
 * refuses — or with --shared-rows tombstone re-points — what other organizations must keep.
 */
export const abparts: TenancyProfile = {
  name: 'abparts',
  description: 'ABParts parts distribution (seed 002): pooled, tenant = customer or supplier organization, named by name',
  mode: 'pooled',
  // Its schema avoids 15-only syntax (what needs 15+ is guarded); CI runs its tests on 14.
  serverMinimum: { major: 14, why: 'the oldest PostgreSQL its schema is tested on' },
  registry,
  migrations: { shared: 'abparts', tenant: null },
  validateHandle: validateOrganizationName,
  provisioning: {
    example: 'tenantctl tenant create "Acme Farms" --type customer --admin-email admin@acme.test',
    fields: [
      { key: 'handle', flag: 'name', label: 'Organization name', required: true, check: (v) => (v.trim() && characterCount(v.trim()) <= 255 ? undefined : '1–255 characters') },
      { key: 'type', flag: 'type', label: 'Organization type', required: false, choices: TENANT_TYPES, default: 'customer' },
      { key: 'parent', flag: 'parent', label: 'Parent organization (name or id; required for a supplier)', required: false },
      { key: 'adminEmail', flag: 'admin-email', label: 'E-mail of the first admin (invited)', required: true, check: (v) => (isEmail(v.trim()) ? undefined : 'Enter an e-mail address') },
      { key: 'adminUsername', flag: 'admin-username', label: 'Username of the first admin', required: false, suggest: (values) => String(values.adminEmail ?? '').split('@')[0] ?? '' },
      { key: 'adminName', flag: 'admin-name', label: 'Name of the first admin', required: false },
      { key: 'invitedBy', flag: 'invited-by', label: 'Super admin who invites them (username or e-mail; default: the first)', required: false },
      { key: 'warehouse', flag: 'warehouse', label: 'Name of a default warehouse (none if empty)', required: false },
      { key: 'address', flag: 'address', label: 'Address', required: false },
      { key: 'contact', flag: 'contact', label: 'Contact information', required: false },
    ],
  },
  plansAndFeatures: false,
  lifecycle: pooledLifecycle(abpartsProvisioner, registry),
  pooled: ABPARTS_DECLARATIONS,
  fixtures: async () => (await import('../../fixtures/profiles/abparts.js')).abpartsFixtures,
  // No rule for transactions: they are the audit trail of every part movement and are never
  // deleted. Only housekeeping: sessions past their expiry.
  // CSV import/export mappings (abparts-csv.ts).
  csvEntities: ABPARTS_CSV,
  retention: [{ scope: 'shared', table: 'user_sessions', column: 'expires_at', olderThan: '0 days' }],
};
