import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { ensureBookkeeping } from '../migrate/state.js';
import type { Tenant } from '../tenancy/registry.js';
import type { TenancyStrategy } from '../tenancy/strategy.js';
import { assertTenantSchema } from '../tenancy/schema-guard.js';
import { requireTenant, type TenantRecord } from './find.js';
import { countRows, locateTenantData, qualified } from './locate.js';

/** One line of `tenant list`. */
export interface TenantSummary {
  slug: string;
  name: string;
  status: string;
  plan: string | null;
  subscription: string | null;
  schemaVersion: string | null;
  sizeBytes: number;
  schemaExists: boolean;
  createdAt: Date;
}

/** Filters of `tenant list`. */
export interface ListFilter {
  status?: string;
  plan?: string;
  search?: string;
  /** @default 1000 */
  limit?: number;
}

/** Every tenant (filtered), with plan, schema version and size, in one query. */
export async function listTenants(sql: Sql, filter: ListFilter = {}): Promise<TenantSummary[]> {
  await ensureBookkeeping(sql);
  const rows = await query<{ slug: string; name: string; status: string; plan: string | null; subscription: string | null; schema_version: string | null; size_bytes: string; schema_exists: boolean; created_at: Date }>(sql, 'tenants/list', [filter.status ?? null, filter.plan ?? null, filter.search ?? null, filter.limit ?? 1000]);
  return rows.map((r) => ({ slug: r.slug, name: r.name, status: r.status, plan: r.plan, subscription: r.subscription, schemaVersion: r.schema_version, sizeBytes: Number(r.size_bytes), schemaExists: r.schema_exists, createdAt: r.created_at }));
}

/** Everything about one tenant. */
export interface TenantDetails extends Omit<TenantRecord, 'schema'> {
  schema: string;
  schemaExists: boolean;
  schemaVersions: string[];
  migrationState: string | null;
  sizeBytes: number;
  users: number;
  owners: { email: string; name: string }[];
  tables: { table: string; rows: number; scope: 'tenant' | 'shared' }[];
  recentAudit: { action: string; createdAt: Date; metadata: unknown }[];
}

/** `tenant show`: the registry row, subscription, schema state, owners, row counts per table, recent audit entries. */
export async function showTenant(sql: Sql, strategy: TenancyStrategy, ref: Tenant): Promise<TenantDetails> {
  await ensureBookkeeping(sql);
  const tenant = await requireTenant(sql, ref);
  assertTenantSchema(strategy, tenant);
  const data = await locateTenantData(sql, strategy, tenant);
  const [[version], [size], audit, own, shared] = await Promise.all([
    query<{ versions: string[]; state: string | null }>(sql, 'tenants/schema-version', [tenant.schema]),
    query<{ bytes: string }>(sql, 'tenants/schema-size', [tenant.schema]),
    query<{ action: string; created_at: Date; metadata: unknown }>(sql, 'tenants/recent-audit', [tenant.id, 10]),
    Promise.all(data.own.map(async (l) => ({ table: l.column === null ? l.table : qualified(l), rows: await countRows(sql, l, tenant.id), scope: 'tenant' as const }))),
    Promise.all(data.shared.map(async (l) => ({ table: qualified(l), rows: await countRows(sql, l, tenant.id), scope: 'shared' as const }))),
  ]);
  let users = 0;
  let owners: { email: string; name: string }[] = [];
  if (data.own.length) {
    // Scoping needs a transaction (set_config … is_local); read-only, so nothing can change.
    [users, owners] = await sql.begin('read only', async (transaction) => {
      const tx = transaction as unknown as Sql;
      await strategy.scopeTo(tx, tenant);
      const [row] = await query<{ users: number; owners: { email: string; name: string }[] }>(tx, 'tenants/owners');
      return [row!.users, row!.owners] as const;
    });
  }
  return {
    ...tenant,
    schemaExists: data.own.length > 0,
    schemaVersions: version?.versions ?? [],
    migrationState: version?.state ?? null,
    sizeBytes: Number(size?.bytes ?? 0),
    users,
    owners,
    tables: [...own, ...shared.filter((s) => s.rows > 0)],
    recentAudit: audit.map((a) => ({ action: a.action, createdAt: a.created_at, metadata: a.metadata })),
  };
}

/** Active plans (code, name, monthly price), for the create prompt. */
export async function listPlans(sql: Sql): Promise<{ code: string; name: string; price: string }[]> {
  return query<{ code: string; name: string; price: string }>(sql, 'tenants/plans');
}
