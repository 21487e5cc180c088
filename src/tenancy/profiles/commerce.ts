import { ENTITIES } from '../../csv/entities.js';
import { DEFAULT_RETENTION } from '../../maintain/config.js';
import { isCurrency, isTimeZone, suggestSlug } from '../../tenants/input.js';
import { schemaLifecycle } from '../../tenants/schema-lifecycle.js';
import { schemaPerTenantStrategy } from '../strategy.js';
import { COMMERCE_REGISTRY } from './commerce-registry.js';
import type { TenancyProfile } from '../profile.js';
import { validateSlug } from '../slug.js';

/** The layout of commerce's tenants: lifecycle, fixtures and every schema-per-tenant path share it. */
const strategy = schemaPerTenantStrategy(COMMERCE_REGISTRY);

const problem = (check: () => unknown): string | undefined => {
  try {
    check();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

/**
 * The commerce platform (seed 004): `public` holds the shared tables and the registry
 * public.tenants; each tenant has its own schema tenant_<slug>. The default profile, and
 * what databases migrated before profiles existed are.
 */
export const commerce: TenancyProfile = {
  name: 'commerce',
  description: 'commerce platform (seed 004): shared public schema + one schema per tenant (tenant_<slug>)',
  mode: 'schema-per-tenant',
  serverMinimum: { major: 15, why: 'its tenant schema uses UNIQUE NULLS NOT DISTINCT' },
  registry: COMMERCE_REGISTRY,
  migrations: { shared: 'shared', tenant: 'tenant' },
  validateHandle: (handle, flag) => validateSlug(handle, flag),
  plansAndFeatures: true,
  provisioning: {
    example: 'tenantctl tenant create acme --name "Acme" --plan starter --owner-email owner@acme.test',
    fields: [
      { key: 'name', flag: 'name', label: 'Company name', required: true },
      { key: 'handle', flag: 'slug', label: 'Slug (schema tenant_<slug>)', required: true, suggest: (v) => suggestSlug(String(v.name ?? '')), check: (v) => problem(() => validateSlug(v)) },
      { key: 'plan', flag: 'plan', label: 'Plan', required: true, lookup: async (sql) => (await (await import('../../tenants/read.js')).listPlans(sql)).map((p) => ({ value: p.code, label: p.name, hint: p.price })) },
      { key: 'ownerEmail', flag: 'owner-email', label: 'Owner e-mail', required: true, check: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? undefined : 'Enter an e-mail address') },
      { key: 'ownerName', flag: 'owner-name', label: 'Owner name', required: false },
      { key: 'timezone', flag: 'timezone', label: 'Time zone', required: false, suggest: () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC', check: (v) => (isTimeZone(v.trim()) ? undefined : 'Not an IANA time zone (e.g. Asia/Kolkata)') },
      { key: 'currency', flag: 'currency', label: 'Currency', required: false, default: 'INR', check: (v) => (isCurrency(v.trim().toUpperCase()) ? undefined : 'Not an ISO 4217 code (e.g. INR, EUR)') },
      { key: 'trialDays', flag: 'trial-days', label: 'Trial days', required: false, parse: 'whole-number' },
      { key: 'domain', flag: 'domain', label: 'Custom domain', required: false },
    ],
  },
  // Tenant schemas tenant_<slug>, registered in public.tenants.
  lifecycle: schemaLifecycle(strategy),
  strategy,
  csvEntities: ENTITIES,
  retention: DEFAULT_RETENTION,
};
