import type { Pool, Sql } from '../db/connect.js';
import { query, registryQuery } from '../db/queries.js';
import { ensureBookkeeping } from '../migrate/state.js';
import type { Tenant } from '../tenancy/registry.js';
import type { TenancyStrategy } from '../tenancy/strategy.js';
import { assertTenantSchema } from '../tenancy/schema-guard.js';
import { requireTenant, type TenantRecord } from './find.js';
import { equalsId, locateTenantData, qualified, tenantRows } from './locate.js';
import type { DataLocation } from '../tenancy/types.js';
import { recentTenantEvents, type TenantEvent } from './events.js';
import { exactSizeQuery } from '../citus/sizes.js';
import { qualifiedIdent } from '../db/ident.js';

/** One line of `tenant list`. */
export interface TenantSummary {
  slug: string;
  name: string;
  status: string;
  plan: string | null;
  subscription: string | null;
  schemaVersion: string | null;
  /** From the planner statistics (pages as of the last VACUUM/ANALYZE) unless exact sizes were asked for. */
  sizeBytes: number;
  sizeExact: boolean;
  /**
   * Tables behind an estimated size that were never vacuumed or analyzed (the tenant's schema;
   * pooled: the shared one): the statistics hold nothing of their rows, which count as 0 in
   * sizeBytes until ANALYZE. 0 with exact sizes.
   */
  sizeNeverAnalyzed: number;
  schemaExists: boolean;
  /**
   * Why the schema the registry row names is not this tenant's own (the schema guard's rule),
   * or null. Such a row gets no version and no size: they would be another schema's.
   */
  schemaRefused: string | null;
  createdAt: Date;
}

/** Filters and page of `tenant list`; all of them run in SQL. */
export interface ListFilter {
  status?: string;
  plan?: string;
  search?: string;
  /** At most this many tenants. @default every tenant */
  limit?: number;
  /** Skip this many (in slug order) first. @default 0 */
  offset?: number;
  /** Exact bytes on disk (opens every relation of the page's schemas) instead of the statistics. @default false */
  exactSizes?: boolean;
}

interface ListRow { id: string; slug: string; schema_name: string; name: string; status: string; plan: string | null; subscription: string | null; schema_version: string | null; schema_exists: boolean; created_at: Date }

/**
 * Up to this many schemas, sizes are looked up schema by schema (index lookups, ~35 per
 * schema); beyond it one pass over pg_class costs less (at 1,000 tenants a pass costs about
 * what 100 schemas' lookups do).
 */
const LOOKUP_SCHEMAS = 100;

/**
 * One page of tenants (filtered, slug order) with plan and schema version, then the sizes
 * of the page's schemas only: from the catalog statistics, or exact on request.
 */
export async function listTenants(sql: Pool, strategy: TenancyStrategy, filter: ListFilter = {}): Promise<TenantSummary[]> {
  await ensureBookkeeping(sql);
  const rows = await registryQuery<ListRow>(sql, 'tenants/list', strategy.registry, [filter.status ?? null, filter.plan ?? null, filter.search ?? null, filter.limit ?? null, filter.offset ?? 0]);
  const refused = new Map(rows.map((r) => [r.id, strategy.schemaMismatch({ id: r.id, slug: r.slug, schema: r.schema_name }) ?? null]));
  const sizes = await schemaSizes(sql, rows.filter((r) => r.schema_exists && !refused.get(r.id)).map((r) => r.schema_name), filter.exactSizes ?? false);
  return rows.map((r) => ({
    slug: r.slug,
    name: r.name,
    status: r.status,
    plan: r.plan,
    subscription: r.subscription,
    schemaVersion: refused.get(r.id) ? null : r.schema_version,
    sizeBytes: refused.get(r.id) ? 0 : (sizes.get(r.schema_name)?.bytes ?? 0),
    sizeExact: filter.exactSizes ?? false,
    sizeNeverAnalyzed: refused.get(r.id) ? 0 : (sizes.get(r.schema_name)?.neverAnalyzed ?? 0),
    schemaExists: r.schema_exists,
    schemaRefused: refused.get(r.id) ?? null,
    createdAt: r.created_at,
  }));
}

async function schemaSizes(sql: Sql, schemas: string[], exact: boolean): Promise<Map<string, { bytes: number; neverAnalyzed: number }>> {
  if (schemas.length === 0) return new Map();
  if (!exact && schemas.length > LOOKUP_SCHEMAS) {
    // The pass `monitor tenant-sizes` sorts the fleet by: the same figure, one plan to keep fast.
    const totals = await query<{ schema: string; total_bytes: string; never_analyzed: number }>(sql, 'monitor/schema-totals', [schemas]);
    return new Map(totals.map((r) => [r.schema, { bytes: Number(r.total_bytes), neverAnalyzed: r.never_analyzed }]));
  }
  const rows = await query<{ schema: string; bytes: string; never_analyzed?: number }>(sql, exact ? await exactSizeQuery(sql, 'tenants/list-exact-sizes') : 'tenants/page-sizes', [schemas]);
  return new Map(rows.map((r) => [r.schema, { bytes: Number(r.bytes), neverAnalyzed: r.never_analyzed ?? 0 }]));
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
  statusHistory: TenantEvent[];
}

/** `tenant show`: the registry row, subscription, schema state, owners, row counts per table, recent audit entries. */
export async function showTenant(sql: Pool, strategy: TenancyStrategy, ref: Tenant): Promise<TenantDetails> {
  await ensureBookkeeping(sql);
  const tenant = await requireTenant(sql, strategy.registry, ref);
  assertTenantSchema(strategy, tenant);
  const data = await locateTenantData(sql, strategy, tenant);
  // One after the other on one connection: side by side, the pool opens new sessions, and a
  // new session pays for authentication and a cold catalog cache (1.78 million relations at
  // 10,000 tenants), which costs more than the round trips saved.
  const [version] = await query<{ versions: string[]; state: string | null }>(sql, 'tenants/schema-version', [tenant.schema]);
  const [size] = await query<{ bytes: string }>(sql, await exactSizeQuery(sql, 'tenants/schema-size'), [tenant.schema]);
  const audit = await query<{ action: string; created_at: Date; metadata: unknown }>(sql, 'tenants/recent-audit', [tenant.id, 10]);
  const statusHistory = await recentTenantEvents(sql, tenant.id);
  const counts = await countEach(sql, [...data.own, ...data.shared], tenant.id);
  const own = data.own.map((l, i) => ({ table: l.column === null ? l.table : qualified(l), rows: counts[i]!, scope: 'tenant' as const }));
  const shared = data.shared.map((l, i) => ({ table: qualified(l), rows: counts[data.own.length + i]!, scope: 'shared' as const }));
  let users = 0;
  let owners: { email: string; name: string }[] = [];
  if (data.own.length) {
    // Scoping needs a transaction (set_config … is_local); read-only, so nothing can change.
    [users, owners] = await sql.begin('read only', async (tx) => {
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
    statusHistory,
  };
}

/**
 * The rows of each location (countRows, locate.ts), all in one statement: one round trip for
 * a tenant's 33 tables and the shared ones instead of one each.
 */
async function countEach(sql: Sql, locations: readonly DataLocation[], tenantId: string): Promise<number[]> {
  if (locations.length === 0) return [];
  const counted = locations.map((l, i) => {
    const table = qualifiedIdent(sql, l.schema, l.table);
    return l.column === null
      ? sql`select ${i}::int as i, count(*)::bigint as n from ${table}`
      : sql`select ${i}::int as i, count(*)::bigint as n from ${table} where ${tenantRows(sql, l, equalsId(sql, tenantId))}`;
  });
  const rows = (await counted.reduce((all, one) => sql`${all} union all ${one}`)) as unknown as { i: number; n: string }[];
  const byIndex = new Array<number>(locations.length).fill(0);
  for (const r of rows) byIndex[r.i] = Number(r.n);
  return byIndex;
}

/** Active plans (code, name, monthly price), for the create prompt. */
export async function listPlans(sql: Sql): Promise<{ code: string; name: string; price: string }[]> {
  return query<{ code: string; name: string; price: string }>(sql, 'tenants/plans');
}
