import type { Pool, Sql } from '../db/connect.js';
import { query, registryQuery, renderedQuery } from '../db/queries.js';
import { ensureBookkeeping } from '../migrate/state.js';
import type { Tenant } from '../tenancy/registry.js';
import type { TenancyStrategy } from '../tenancy/strategy.js';
import { assertTenantSchema } from '../tenancy/schema-guard.js';
import { requireTenant, type TenantRecord } from './find.js';
import { equalsId, locateTenantData, qualified, tenantRows } from './locate.js';
import type { DataLocation } from '../tenancy/types.js';
import { recentTenantEvents, type TenantEvent } from './events.js';
import { sizeNames } from '../citus/sizes.js';
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
  /**
   * With exact sizes: tables left out of sizeBytes because someone holds or awaits an ACCESS
   * EXCLUSIVE lock on them (sizing them would wait behind it). 0 otherwise.
   */
  sizeLockedTables: number;
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

/** Bytes on disk of these schemas, their locked tables left out and named (tenants/list-exact-sizes). */
const exactSchemaSizes = async (sql: Sql, schemas: string[]): Promise<{ schema: string; bytes: string; locked: string[] }[]> =>
  renderedQuery(sql, 'tenants/list-exact-sizes', await sizeNames(sql), [schemas]);

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
    sizeLockedTables: refused.get(r.id) ? 0 : (sizes.get(r.schema_name)?.locked ?? 0),
    schemaExists: r.schema_exists,
    schemaRefused: refused.get(r.id) ?? null,
    createdAt: r.created_at,
  }));
}

async function schemaSizes(sql: Sql, schemas: string[], exact: boolean): Promise<Map<string, { bytes: number; neverAnalyzed: number; locked?: number }>> {
  if (schemas.length === 0) return new Map();
  if (!exact && schemas.length > LOOKUP_SCHEMAS) {
    // The pass `monitor tenant-sizes` sorts the fleet by: the same figure, one plan to keep fast.
    const totals = await query<{ schema: string; total_bytes: string; never_analyzed: number }>(sql, 'monitor/schema-totals', [schemas]);
    return new Map(totals.map((r) => [r.schema, { bytes: Number(r.total_bytes), neverAnalyzed: r.never_analyzed }]));
  }
  const rows = exact
    ? (await exactSchemaSizes(sql, schemas)).map((r) => ({ ...r, locked: r.locked.length }))
    : await query<{ schema: string; bytes: string; never_analyzed: number }>(sql, 'tenants/page-sizes', [schemas]);
  return new Map(rows.map((r) => [r.schema, { bytes: Number(r.bytes), neverAnalyzed: 'never_analyzed' in r ? r.never_analyzed : 0, locked: 'locked' in r ? r.locked : 0 }]));
}

/** Everything about one tenant. */
export interface TenantDetails extends Omit<TenantRecord, 'schema'> {
  schema: string;
  schemaExists: boolean;
  schemaVersions: string[];
  migrationState: string | null;
  /** Bytes on disk of the schema's tables, less those in `locked`. */
  sizeBytes: number;
  /** null: the tenant's users table is locked (see `locked`). */
  users: number | null;
  owners: { email: string; name: string }[];
  /** rows null: not counted, the table is locked (see `locked`). */
  tables: { table: string; rows: number | null; scope: 'tenant' | 'shared' }[];
  /**
   * Tables not read because someone holds or awaits an ACCESS EXCLUSIVE lock on them (a
   * migration, an application's LOCK TABLE): their rows, size or owners are left out rather
   * than waited for, as monitor's exact sizes skip them.
   */
  locked: string[];
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
  const [size] = await exactSchemaSizes(sql, [tenant.schema]);
  const audit = await query<{ action: string; created_at: Date; metadata: unknown }>(sql, 'tenants/recent-audit', [tenant.id, 10]);
  const statusHistory = await recentTenantEvents(sql, tenant.id);
  const locations = [...data.own, ...data.shared];
  const locked = await lockedTables(sql, [...locations, { schema: tenant.schema, table: 'users' }]);
  const isLocked = (l: { schema: string; table: string }): boolean => locked.has(JSON.stringify([l.schema, l.table]));
  const counts = await countEach(sql, locations.filter((l) => !isLocked(l)), tenant.id);
  const rowsOf = (l: DataLocation): number | null => (isLocked(l) ? null : counts.shift()!);
  const own = data.own.map((l) => ({ table: l.column === null ? l.table : qualified(l), rows: rowsOf(l), scope: 'tenant' as const }));
  const shared = data.shared.map((l) => ({ table: qualified(l), rows: rowsOf(l), scope: 'shared' as const }));
  let users: number | null = 0;
  let owners: { email: string; name: string }[] = [];
  if (data.own.length && isLocked({ schema: tenant.schema, table: 'users' })) users = null;
  else if (data.own.length) {
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
    tables: [...own, ...shared.filter((s) => s.rows !== 0)],
    locked: [...new Set([...(size?.locked ?? []).map((t) => `${tenant.schema}.${t}`), ...[...locations, { schema: tenant.schema, table: 'users' }].filter(isLocked).map(qualified)])].sort(),
    recentAudit: audit.map((a) => ({ action: a.action, createdAt: a.created_at, metadata: a.metadata })),
    statusHistory,
  };
}

/** The tables of `tables` someone holds or awaits an ACCESS EXCLUSIVE lock on, keyed [schema, table] as JSON. */
async function lockedTables(sql: Sql, tables: readonly { schema: string; table: string }[]): Promise<Set<string>> {
  const rows = await query<{ schema: string; table: string }>(sql, 'tenants/locked-relations', [JSON.stringify(tables.map((t) => ({ schema: t.schema, table: t.table })))]);
  return new Set(rows.map((r) => JSON.stringify([r.schema, r.table])));
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
