import type { ErasePlanView, ProvisionValues, TenantLifecycle } from '../tenancy/lifecycle.js';
import type { TenancyStrategy } from '../tenancy/strategy.js';
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
 * Schema per tenant (seed 004): a tenant is a registry row plus its own
 * schema `tenant_<slug>`; these are the operations tenantctl always had, behind the
 * lifecycle seam, over the storage the profile built from its registry.
 * Each loads its module when called (every command resolves a profile; few use these).
 */
export function schemaLifecycle(storage: TenancyStrategy): TenantLifecycle {
  return {
    targets: storage,
    // The warm pool holds spare tenant schemas: only a schema-per-tenant profile can take one.
    create: async (sql, profile, values, options) => (await import('./create.js')).createTenant(sql, tenantInput(values), { strategy: storage, migrationsDir: options.migrationsDir, actor: options.actor, failpoints: options.failpoints, usePool: profile.mode === 'schema-per-tenant', noWait: options.noWait, onWait: options.onWait }),
    list: async (sql, _profile, filter) => (await import('./read.js')).listTenants(sql, storage, filter),
    show: async (sql, _profile, tenant) => (await import('./read.js')).showTenant(sql, storage, tenant),
    setStatus: async (sql, _profile, tenant, status, context) => (await import('./lifecycle.js')).setTenantStatus(sql, storage, tenant, status, context),
    export: async (sql, _profile, tenant, dir, now, lock) => (await import('./export.js')).exportTenant(sql, storage, tenant, dir, now, lock),
    planErase: async (sql, _profile, tenant) => {
      const [{ planErasure }, { requireTenant }] = await Promise.all([import('./erase-plan.js'), import('./find.js')]);
      return planErasure(sql, storage, await requireTenant(sql, storage.registry, tenant));
    },
    erase: async (sql, _profile, plan: ErasePlanView, options) => (await import('./erase.js')).eraseTenant(sql, plan as ErasurePlan, { strategy: storage, ...options }),
    check: async (sql) => (await import('./schema-check.js')).checkSchemaPerTenant(sql, storage),
  };
}
