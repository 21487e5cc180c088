import type { Sql } from '../db/connect.js';
import type { ErasePlanView, ProvisionValues, TenantLifecycle } from '../tenancy/lifecycle.js';
import { schemaPerTenant } from '../tenancy/strategy.js';
import { createTenant } from './create.js';
import { planErasure, type ErasurePlan } from './erase-plan.js';
import { eraseTenant } from './erase.js';
import { exportTenant } from './export.js';
import { requireTenant } from './find.js';
import type { TenantInput } from './input.js';
import { setTenantStatus } from './lifecycle.js';
import { listTenants, showTenant } from './read.js';

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
 */
export const schemaLifecycle: TenantLifecycle = {
  targets: (sql) => schemaPerTenant.listTenants(sql),
  create: (sql, _profile, values, options) => createTenant(sql, tenantInput(values), { migrationsDir: options.migrationsDir, actor: options.actor, failpoints: options.failpoints }),
  list: (sql, _profile, filter) => listTenants(sql, filter),
  show: (sql, _profile, tenant) => showTenant(sql, schemaPerTenant, tenant),
  setStatus: (sql, _profile, tenant, status, context) => setTenantStatus(sql, tenant, status, context),
  export: (sql, _profile, tenant, dir, now) => exportTenant(sql, schemaPerTenant, tenant, dir, now),
  planErase: async (sql: Sql, _profile, tenant) => planErasure(sql, schemaPerTenant, await requireTenant(sql, tenant)),
  erase: (sql, _profile, plan: ErasePlanView, options) => eraseTenant(sql, plan as ErasurePlan, { strategy: schemaPerTenant, ...options }),
};
