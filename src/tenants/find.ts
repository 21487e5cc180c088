import type { Sql } from '../db/connect.js';
import { registryQuery } from '../db/queries.js';
import type { RegistrySpec } from '../tenancy/profile.js';
import { TenantctlError } from '../errors.js';
import type { TenantHandle } from '../tenancy/strategy.js';

/** A tenant's registry row with its current subscription. */
export interface TenantRecord extends TenantHandle {
  name: string;
  status: string;
  domain: string | null;
  settings: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  subscription: { id: string; status: string; plan: string; planName: string; planId: string; trialEndsAt: Date | null; currentPeriodStart: Date; currentPeriodEnd: Date } | null;
}

interface Row {
  id: string;
  slug: string;
  name: string;
  schema_name: string;
  status: string;
  domain: string | null;
  settings: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  subscription_id: string | null;
  subscription_status: string;
  trial_ends_at: Date | null;
  current_period_start: Date;
  current_period_end: Date;
  plan_id: string;
  plan: string;
  plan_name: string;
}

/** The registry row of a resolved tenant (src/tenancy/registry.ts) with its subscription, or undefined if it vanished. */
export async function findTenant(sql: Sql, registry: RegistrySpec, id: string): Promise<TenantRecord | undefined> {
  const [row] = await registryQuery<Row>(sql, 'tenants/find', registry, [id]);
  if (!row) return undefined;
  return {
    id: row.id,
    slug: row.slug,
    schema: row.schema_name,
    name: row.name,
    status: row.status,
    domain: row.domain,
    settings: row.settings ?? {},
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    subscription: row.subscription_id
      ? { id: row.subscription_id, status: row.subscription_status, plan: row.plan, planName: row.plan_name, planId: row.plan_id, trialEndsAt: row.trial_ends_at, currentPeriodStart: row.current_period_start, currentPeriodEnd: row.current_period_end }
      : null,
  };
}

/** The full record of a resolved tenant; TENANT_GONE if it was removed since it was resolved. */
export async function requireTenant(sql: Sql, registry: RegistrySpec, tenant: { id: string; handle: string }): Promise<TenantRecord> {
  const record = await findTenant(sql, registry, tenant.id);
  if (!record) {
    throw new TenantctlError('TENANT_GONE', `Tenant ${tenant.handle} disappeared while the command ran (erased by another run?).`, { hint: 'List tenants with `tenantctl tenant list`.', details: { id: tenant.id } });
  }
  return record;
}
