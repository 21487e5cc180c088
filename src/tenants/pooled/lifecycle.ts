import type { TenantLifecycle } from '../../tenancy/lifecycle.js';
import { createPooledTenant, type Provisioner } from './create.js';
import { exportPooledTenant } from './export.js';
import { listPooledTenants, showPooledTenant } from './read.js';
import { setPooledStatus } from './status.js';
import { erasePooledTenant, planPooledErasure, type PooledErasurePlan } from './erase.js';

export type { Provisioner } from './create.js';

/**
 * The tenant operations of a pooled profile: one schema, a tenant = one registry row and
 * every row reached from it. Generic over the profile's data; only provisioning (which
 * rows a usable tenant needs) is the profile's own function.
 */
export function pooledLifecycle<Input>(provisioner: Provisioner<Input>): TenantLifecycle {
  return {
    // One target, the pooled schema itself (the shared scope): no per-tenant migrations.
    targets: async () => [],
    create: (sql, profile, values, options) => createPooledTenant(sql, profile, provisioner, values, options),
    list: (sql, profile, filter) => listPooledTenants(sql, profile, filter),
    show: (sql, profile, tenant) => showPooledTenant(sql, profile, tenant),
    setStatus: (sql, profile, tenant, status) => setPooledStatus(sql, profile, tenant, status),
    export: (sql, profile, tenant, dir, now) => exportPooledTenant(sql, profile, tenant, dir, now),
    planErase: (sql, profile, tenant, options) => planPooledErasure(sql, profile, tenant, options),
    erase: (sql, profile, plan, options) => erasePooledTenant(sql, profile, plan as PooledErasurePlan, options),
  };
}
