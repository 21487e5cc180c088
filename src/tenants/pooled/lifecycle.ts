import type { TenantLifecycle } from '../../tenancy/lifecycle.js';
import type { RegistrySpec } from '../../tenancy/profile.js';
import type { Provisioner } from './create.js';
import type { PooledErasurePlan } from './erase.js';
import { declarationsOf } from './declarations.js';

export type { Provisioner } from './create.js';

/**
 * The tenant operations of a pooled profile: one schema, a tenant = one registry row and
 * every row reached from it. Generic over the profile's data; only provisioning (which
 * rows a usable tenant needs) is the profile's own function. Each operation loads its
 * module (and the pooled engine) when called: every command resolves a profile, few use these.
 */
export function pooledLifecycle<Input>(provisioner: Provisioner<Input>, registry: RegistrySpec): TenantLifecycle {
  return {
    // One target, the pooled schema itself (the shared scope): no per-tenant migrations. The
    // registry is still named: a migration of that schema must not make it vanish (migrate/integrity.ts).
    targets: { registry, listTenants: async () => [], schemaMismatch: () => undefined, schemaFor: () => '' },
    create: async (sql, profile, values, options) => (await import('./create.js')).createPooledTenant(sql, profile, provisioner, values, options),
    list: async (sql, profile, filter) => (await import('./read.js')).listPooledTenants(sql, profile, filter),
    show: async (sql, profile, tenant) => (await import('./read.js')).showPooledTenant(sql, profile, tenant),
    setStatus: async (sql, profile, tenant, status, context) => (await import('./status.js')).setPooledStatus(sql, profile, tenant, status, context),
    export: async (sql, profile, tenant, dir, now) => (await import('./export.js')).exportPooledTenant(sql, profile, tenant, dir, now),
    planErase: async (sql, profile, tenant, options) => (await import('./erase.js')).planPooledErasure(sql, profile, tenant, options),
    erase: async (sql, profile, plan, options) => (await import('./erase.js')).erasePooledTenant(sql, profile, plan as PooledErasurePlan, options),
    check: async (sql, profile) => {
      const check = await (await import('../../pooled/index.js')).checkProfile(sql, declarationsOf(profile));
      // The raw catalog the classification was built from stays out of the report.
      const { catalog: _catalog, ...classification } = check.classification;
      return { ...check, classification };
    },
  };
}
