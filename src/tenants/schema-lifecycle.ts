import type { ErasePlanView, ProvisionValues, TenantLifecycle } from '../tenancy/lifecycle.js';
import { schemaPerTenant } from '../tenancy/strategy.js';
import type { ErasurePlan } from './erase-plan.js';
import type { TenantInput } from './input.js';

const text = (v: string | number | undefined): string | undefined => (v === undefined ? undefined : String(v));

/** `tenant create` values → the commerce TenantInput (validated again by createTenant). */
function tenantInput(values: ProvisionValues): TenantInput {
  return {
    slug: text(values.handle)!,
    name: text(values.name)!,
    plan: text(values.plan)!,
    ownerEmail: text(values.ownerEmail)!,
    ownerName: text(values.ownerName),
    timezone: text(values.timezone),
    currency: text(values.currency),
    trialDays: values.trialDays === undefined ? undefined : Number(values.trialDays),
    domain: text(values.domain),
  };
}

/**
 * Schema per tenant (seed 004): a tenant is a public.tenants row plus its own schema
 * `tenant_<slug>`; these are the operations tenantctl always had, behind the lifecycle seam.
 * Each loads its module when called (every command resolves a profile; few use these).
 */
export const schemaLifecycle: TenantLifecycle = {
  targets: schemaPerTenant,
  // The warm pool holds spare tenant schemas: only a schema-per-tenant profile can take one.
  create: async (sql, profile, values, options) => (await import('./create.js')).createTenant(sql, tenantInput(values), { strategy: schemaPerTenant, migrationsDir: options.migrationsDir, actor: options.actor, failpoints: options.failpoints, usePool: profile.mode === 'schema-per-tenant', noWait: options.noWait, onWait: options.onWait }),
  list: async (sql, _profile, filter) => (await import('./read.js')).listTenants(sql, filter),
  show: async (sql, _profile, tenant) => (await import('./read.js')).showTenant(sql, schemaPerTenant, tenant),
  setStatus: async (sql, _profile, tenant, status, context) => (await import('./lifecycle.js')).setTenantStatus(sql, tenant, status, context),
  export: async (sql, _profile, tenant, dir, now, lock) => (await import('./export.js')).exportTenant(sql, schemaPerTenant, tenant, dir, now, lock),
  planErase: async (sql, _profile, tenant) => {
    const [{ planErasure }, { requireTenant }] = await Promise.all([import('./erase-plan.js'), import('./find.js')]);
    return planErasure(sql, schemaPerTenant, await requireTenant(sql, tenant));
  },
  erase: async (sql, _profile, plan: ErasePlanView, options) => (await import('./erase.js')).eraseTenant(sql, plan as ErasurePlan, { strategy: schemaPerTenant, ...options }),
};
