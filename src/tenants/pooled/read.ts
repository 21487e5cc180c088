import type { Pool, Sql } from '../../db/connect.js';
import { query } from '../../db/queries.js';
import { ensureBookkeeping } from '../../migrate/state.js';
import type { TenancyProfile } from '../../tenancy/profile.js';
import { statusWord, type Tenant } from '../../tenancy/registry.js';
import type { ListFilter, TenantSummary } from '../read.js';
// The modules, not the pooled/index barrel: that pulls the whole erasure engine into `monitor tenant-sizes`.
import { classify, type Classification, type TableClass } from '../../pooled/classify.js';
import { tenantRowSets } from '../../pooled/row-sets.js';
import { declarationsOf } from './declarations.js';
import { tableEstimators, tenantEstimate } from './size-estimates.js';
import { recentTenantEvents, type TenantEvent } from '../events.js';
import { qualifiedIdent } from '../../db/ident.js';

/** One tenant's share of a pooled table. */
export interface TableShare {
  table: string;
  class: TableClass;
  rows: number;
  /** The table's bytes × the tenant's share of its rows: an estimate (exact sizes: issue 16). */
  bytes: number;
}

/** `tenant show` on a pooled profile. */
export interface PooledDetails {
  id: string;
  slug: string;
  name: string;
  status: string;
  schema: string;
  schemaVersions: string[];
  migrationState: string | null;
  sizeBytes: number;
  /** The registry row as stored (every column). */
  registry: Record<string, unknown>;
  tables: (TableShare & { scope: 'tenant'; foundBy: string })[];
  /** The latest suspends and resumes (who, when, why), from tenantctl.tenant_events. */
  statusHistory: TenantEvent[];
}

function registryColumns(sql: Sql, profile: TenancyProfile) {
  const r = profile.registry;
  const plan = r.plan ? sql`${sql(r.plan)}::text` : sql`null::text`;
  const created = r.createdAt ? sql`${sql(r.createdAt)}` : sql`null::timestamptz`;
  return sql`${sql(r.key)}::text as id, ${sql(r.handle)}::text as slug, ${sql(r.name)}::text as name, ${statusWord(sql, profile.registry)} as status, ${plan} as plan, ${created} as created_at`;
}

/**
 * Registry rows that are not tenants: platform singletons (ABParts oraseas_ee, bossaqua)
 * and the erased-organization placeholder. They never appear in listings or counts.
 */
export function notTenants(sql: Sql, profile: TenancyProfile) {
  const decl = profile.pooled;
  const placeholders = (decl?.tombstone?.rows ?? []).filter((row) => row.table === profile.registry.table).map((row) => row.key);
  const singletons = decl?.registry.nonErasable;
  const bySingleton = singletons ? sql`and ${sql(singletons.column)}::text <> all(${singletons.values as string[]}::text[])` : sql``;
  return sql`${sql(profile.registry.key)}::text <> all(${placeholders}::text[]) ${bySingleton}`;
}

/** What sizes need from the catalog, read once per command (a list reads it once for every tenant). */
interface Catalogue {
  cls: Classification;
  sizes: { table: string; bytes: string; rows: number }[];
  /** Tables counted whole (their planner count was behind), each counted once for all the tenants listed. */
  counted: Map<string, Promise<number>>;
}

async function catalogue(sql: Sql, profile: TenancyProfile): Promise<Catalogue> {
  const [cls, sizes] = await Promise.all([classify(sql, declarationsOf(profile)), query<Catalogue['sizes'][number]>(sql, 'pooled/table-sizes', [profile.registry.schema])]);
  return { cls, sizes, counted: new Map() };
}

/**
 * Rows of the tenant per table (the pooled engine's row sets: direct by tenant column,
 * indirect along the owner path) and an estimated size: one exact count per table
 * (estimates from pg_stats: issue 16).
 */
export async function tableShares(sql: Sql, profile: TenancyProfile, tenantId: string, known?: Catalogue): Promise<(TableShare & { foundBy: string })[]> {
  const decl = declarationsOf(profile);
  const { cls, sizes, counted } = known ?? (await catalogue(sql, profile));
  const tableRows = (table: string): Promise<number> => {
    if (!counted.has(table)) counted.set(table, countTable(sql, profile.registry.schema, table));
    return counted.get(table)!;
  };
  return Promise.all(
    tenantRowSets(sql, decl, cls, tenantId).map(async (set) => {
      const [row] = (await sql`select count(*)::bigint as n from (${set.select}) x`) as unknown as [{ n: string }];
      const size = sizes.find((s) => s.table === set.table);
      const rows = Number(row.n);
      // The planner's row count is the table's as of its last VACUUM or ANALYZE: 0 before the
      // first, and behind after a load. Fewer than this tenant's own rows, it cannot share the
      // table out (each tenant would get all of it): the table is counted instead.
      const estimated = Number(size?.rows ?? 0);
      const total = estimated >= rows ? Math.max(estimated, 1) : await tableRows(set.table);
      return { table: set.table, class: set.class, rows, bytes: Math.round((Number(size?.bytes ?? 0) * rows) / total), foundBy: set.ownerPath || set.class };
    }),
  );
}

/** Every row of one table of the pooled schema (at least 1: a divisor). */
async function countTable(sql: Sql, schema: string, table: string): Promise<number> {
  const [row] = (await sql`select count(*)::bigint as n from ${qualifiedIdent(sql, schema, table)}`) as unknown as [{ n: string }];
  return Math.max(Number(row.n), 1);
}

/** `tenant list` on a pooled profile: the registry rows, filtered and paged (limit/offset), with the target version and estimated sizes. */
export async function listPooledTenants(sql: Pool, profile: TenancyProfile, filter: ListFilter): Promise<TenantSummary[]> {
  await ensureBookkeeping(sql);
  const r = profile.registry;
  const exists = (await sql`select to_regclass(${`"${r.schema}"."${r.table}"`}) is not null as present`) as unknown as [{ present: boolean }];
  if (!exists[0].present) return [];
  const search = filter.search ?? null;
  const rows = (await sql`
    select ${registryColumns(sql, profile)} from ${sql(r.schema)}.${sql(r.table)}
    where ${notTenants(sql, profile)}
      and (${filter.status ?? null}::text is null or ${statusWord(sql, profile.registry)} = ${filter.status ?? null})
      and (${filter.plan ?? null}::text is null or ${r.plan ? sql`${sql(r.plan)}::text` : sql`null`} = ${filter.plan ?? null})
      and (${search}::text is null or strpos(lower(${sql(r.handle)}::text), lower(${search})) > 0 or strpos(lower(${sql(r.name)}::text), lower(${search})) > 0)
    order by ${sql(r.handle)} limit ${filter.limit ?? null} offset ${filter.offset ?? 0}`) as unknown as { id: string; slug: string; name: string; status: string; plan: string | null; created_at: Date | null }[];
  const [version] = await query<{ versions: string[] }>(sql, 'tenants/schema-version', [r.schema]);
  const exact = filter.exactSizes ?? false;
  // From the statistics, as monitor tenant-sizes estimates (no table is read: the cost does not
  // grow with the rows, and nothing waits behind a migration's lock); --exact-sizes counts each
  // listed tenant's rows. Either way a table's bytes are shared out by rows: an estimate.
  const known = rows.length && exact ? await catalogue(sql, profile) : undefined;
  const { shares: estimated, neverAnalyzed } = rows.length && !exact ? await tableEstimators(sql, await classify(sql, declarationsOf(profile)), profile.registry) : { shares: [], neverAnalyzed: 0 };
  const bytesOf = async (id: string): Promise<number> =>
    (exact ? await tableShares(sql, profile, id, known) : tenantEstimate(estimated, id)).reduce((n, s) => n + s.bytes, 0);
  return Promise.all(
    rows.map(async (t) => ({
      slug: t.slug,
      name: t.name,
      status: t.status,
      plan: t.plan,
      subscription: null,
      schemaVersion: version?.versions.at(-1) ?? null,
      sizeBytes: Math.round(await bytesOf(t.id)),
      sizeExact: false,
      sizeNeverAnalyzed: neverAnalyzed,
      sizeLockedTables: 0,
      schemaExists: true,
      schemaRefused: null,
      createdAt: t.created_at ?? new Date(0),
    })),
  );
}

/** `tenant show` on a pooled profile: the registry row, the target's migration state, rows per table. */
export async function showPooledTenant(sql: Pool, profile: TenancyProfile, tenant: Tenant): Promise<PooledDetails> {
  await ensureBookkeeping(sql);
  const r = profile.registry;
  const [[row], [version], shares, statusHistory] = await Promise.all([
    sql`select to_jsonb(t) as registry from ${sql(r.schema)}.${sql(r.table)} t where ${sql(r.key)} = ${tenant.id}` as unknown as Promise<{ registry: Record<string, unknown> }[]>,
    query<{ versions: string[]; state: string | null }>(sql, 'tenants/schema-version', [r.schema]),
    tableShares(sql, profile, tenant.id),
    recentTenantEvents(sql, tenant.id),
  ]);
  return {
    id: tenant.id,
    slug: tenant.handle,
    name: tenant.name,
    status: tenant.status,
    schema: r.schema,
    schemaVersions: version?.versions ?? [],
    migrationState: version?.state ?? null,
    sizeBytes: shares.reduce((n, s) => n + s.bytes, 0),
    registry: row?.registry ?? {},
    tables: shares.map((s) => ({ ...s, scope: 'tenant' as const })),
    statusHistory,
  };
}
