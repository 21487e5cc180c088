import { pooledLifecycle } from '../../tenants/pooled/lifecycle.js';
import { isEmail } from '../../tenants/input.js';
import { IMSOP_DECLARATIONS } from '../../pooled/profiles/imsop.js';
import type { RegistrySpec, TenancyProfile } from '../profile.js';
import { IMSOP_CSV } from './imsop-csv.js';
import { validateOrganizationName } from './organization-name.js';
import { organizationProvisioner } from './imsop-provision.js';
import { characterCount } from '../characters.js';

const TIERS = ['starter', 'professional', 'enterprise'] as const;

/** The registry as commands see it (the engine's declaration names the same table and columns). */
const registry: RegistrySpec = {
  schema: 'public',
  table: 'organizations',
  key: 'id',
  handle: 'name',
  handleLabel: 'name',
  name: 'name',
  status: { column: 'status', active: 'active', suspended: 'suspended', words: ['active', 'inactive', 'suspended'] },
  softDelete: 'deleted_at',
  plan: 'subscription_tier',
  createdAt: 'created_at',
  targetColumn: null,
  companions: [],
};

/**
 * IMSOP (seeds 000 + 001): one pooled schema, tenant = one `organizations` row, named by
 * its (globally unique) name; `organization_id` on the rows, row-level security.
 */
export const imsop: TenancyProfile = {
  name: 'imsop',
  description: 'IMSOP inventory management (seeds 000 + 001): pooled, tenant = organizations row, named by name',
  mode: 'pooled',
  // Its schema avoids 15-only syntax (what needs 15+ is guarded); CI runs its tests on 14.
  serverMinimum: { major: 14, why: 'the oldest PostgreSQL its schema is tested on' },
  registry,
  migrations: { shared: 'imsop', tenant: null },
  validateHandle: validateOrganizationName,
  plansAndFeatures: false,
  provisioning: {
    example: 'tenantctl tenant create "Org A" --owner-email admin@org-a.test --tier professional',
    fields: [
      { key: 'handle', flag: 'name', label: 'Organization name', required: true, check: (v) => (v.trim() && characterCount(v.trim()) <= 255 ? undefined : '1–255 characters') },
      { key: 'ownerEmail', flag: 'owner-email', label: 'E-mail of the first (admin) user', required: true, check: (v) => (isEmail(v.trim()) ? undefined : 'Enter an e-mail address') },
      { key: 'ownerName', flag: 'owner-name', label: 'Name of the first user', required: false },
      { key: 'tier', flag: 'tier', label: 'Subscription tier', required: false, choices: TIERS, default: 'starter' },
      { key: 'timezone', flag: 'timezone', label: 'Time zone', required: false, default: 'UTC' },
    ],
  },
  // POOLED.md §1: "an admin role (is_system) with every permission (role list from configuration)"
  lifecycle: pooledLifecycle(organizationProvisioner([{ name: 'admin', description: 'Administrator: every permission (created by tenantctl)', permissions: null }]), registry),
  // The pooled engine's declarations (owner paths, the global catalogue, reference actions, personal data).
  pooled: IMSOP_DECLARATIONS,
  fixtures: async () => (await import('../../fixtures/profiles/imsop.js')).imsopFixtures,
  // Seed 000 "Data Retention": purchase orders > 2 years (their lines first, dated by the
  // order, so they are archived before the order's delete would cascade to them), shipment
  // tracking > 1 year, analytics events > 6 months. Inventory and everything else: kept.
  // CSV import/export mappings (imsop-csv.ts).
  csvEntities: IMSOP_CSV,
  retention: [
    { scope: 'shared', table: 'purchase_order_items', column: 'order_date', olderThan: '2 years', via: { column: 'purchase_order_id', table: 'purchase_orders', key: 'id' } },
    { scope: 'shared', table: 'purchase_orders', column: 'order_date', olderThan: '2 years' },
    { scope: 'shared', table: 'shipment_tracking', column: 'timestamp', olderThan: '1 year' },
    { scope: 'shared', table: 'analytics_events', column: 'created_at', olderThan: '6 months' },
  ],
};
