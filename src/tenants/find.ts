import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { TenantctlError } from '../errors.js';
import { validateSlug } from '../tenancy/slug.js';
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

/** The tenant with this slug, or undefined. The slug is validated before any SQL runs. */
export async function findTenant(sql: Sql, slug: string): Promise<TenantRecord | undefined> {
  validateSlug(slug);
  const [row] = await query<Row>(sql, 'tenants/find', [slug]);
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

/** The tenant with this slug; a clear error when there is none. */
export async function requireTenant(sql: Sql, slug: string): Promise<TenantRecord> {
  const tenant = await findTenant(sql, slug);
  if (!tenant) {
    throw new TenantctlError('TENANT_NOT_FOUND', `There is no tenant "${slug}".`, { hint: 'List tenants with `tenantctl tenant list`.', details: { slug } });
  }
  return tenant;
}
