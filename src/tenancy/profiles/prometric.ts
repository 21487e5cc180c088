import { PROMETRIC_DECLARATIONS } from '../../pooled/profiles/prometric.js';
import { isEmail } from '../../tenants/input.js';
import { pooledLifecycle } from '../../tenants/pooled/lifecycle.js';
import type { RegistrySpec, TenancyProfile } from '../profile.js';
import { PROMETRIC_CSV } from './prometric-csv.js';
import { prometricProvisioner, validateBin } from './prometric-provision.js';
import { prometricWorkspaces } from './prometric-workspaces.js';

const registry: RegistrySpec = {
  schema: 'public',
  table: 'organizations',
  key: 'id',
  handle: 'bin',
  handleLabel: 'BIN',
  name: 'name',
  status: { column: 'status', active: 'active', suspended: 'suspended', words: ['active', 'inactive', 'suspended'] },
  softDelete: 'deleted_at',
  plan: null,
  createdAt: 'created_at',
  targetColumn: null,
  companions: [],
};

/**
 * Prometric ERP (seed 003): one pooled schema; a tenant is an organization named by its
 * BIN (names are not unique), split into workspaces; people are global `users` rows that
 * belong to organizations through `employees`, so one person can work for several tenants.
 */
export const prometric: TenancyProfile = {
  name: 'prometric',
  description: 'Prometric ERP (seed 003): pooled, tenant = organization named by its BIN, with workspaces; people shared through employees',
  mode: 'pooled',
  // Its schema avoids 15-only syntax (what needs 15+ is guarded); CI runs its tests on 14.
  serverMinimum: { major: 14, why: 'the oldest PostgreSQL its schema is tested on' },
  registry,
  migrations: { shared: 'prometric', tenant: null },
  validateHandle: validateBin,
  provisioning: {
    example: 'tenantctl tenant create 123456789012 --name "Alpha LLP" --owner-email owner@alpha.kz',
    fields: [
      { key: 'handle', flag: 'bin', label: 'BIN (12 digits)', required: true, check: (v) => (/^\d{12}$/.test(v.trim()) ? undefined : '12 digits') },
      { key: 'name', flag: 'name', label: 'Organization name', required: true },
      { key: 'ownerEmail', flag: 'owner-email', label: 'E-mail of the owner (an existing person becomes an employee here too)', required: true, check: (v) => (isEmail(v.trim()) ? undefined : 'Enter an e-mail address') },
      { key: 'ownerName', flag: 'owner-name', label: 'Name of the owner (new accounts)', required: false },
      { key: 'orgEmail', flag: 'org-email', label: 'E-mail of the organization', required: false },
    ],
  },
  plansAndFeatures: false,
  lifecycle: pooledLifecycle(prometricProvisioner, registry),
  pooled: PROMETRIC_DECLARATIONS,
  fixtures: async () => (await import('../../fixtures/profiles/prometric.js')).prometricFixtures,
  subLevel: prometricWorkspaces,
  // The seed names no retention period: nothing is deleted. `maintain` still keeps the
  // audit_logs monthly partitions ahead (partitions task) and refreshes the
  // daily_sales_summary materialized view (matviews task); both find them in the catalog.
  // CSV import/export mappings (prometric-csv.ts).
  csvEntities: PROMETRIC_CSV,
  retention: [],
};
