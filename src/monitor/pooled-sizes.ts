import type { Sql } from '../db/connect.js';
import { usageError } from '../errors.js';
import { classify } from '../pooled/classify.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { statusWord } from '../tenancy/registry.js';
import { declarationsOf } from '../tenants/pooled/declarations.js';
import { notTenants, tableShares } from '../tenants/pooled/read.js';
import { tableEstimators, tenantEstimate } from '../tenants/pooled/size-estimates.js';
import type { TenantSize, TenantSizeReport, TenantSizesOptions } from './sizes.js';

/** Said with every estimate: its basis (POOLED.md §6), how far to trust it, how to get exact figures. */
export const POOLED_ESTIMATE_NOTE =
  'rows and bytes per tenant estimated from pg_stats on each table\'s tenant column (most common values × reltuples, the rest spread evenly over the other distinct tenants, or over every other tenant when more; bytes = table size × share; indirect tables by their parent\'s share): small tenants ±50%; run ANALYZE for fresh figures, or --exact --tenant for exact counts';

interface RegistryRow {
  id: string;
  handle: string;
  status: string;
}

/** The tenants of the registry (never platform singletons or placeholders), optionally only the named ones. */
async function pooledTenants(sql: Sql, profile: TenancyProfile, handles?: readonly string[]): Promise<RegistryRow[]> {
  const r = profile.registry;
  return (await sql`
    select ${sql(r.key)}::text as id, ${sql(r.handle)}::text as handle, ${statusWord(sql, r)} as status
    from ${sql(r.schema)}.${sql(r.table)}
    where ${notTenants(sql, profile)}
      and (${handles?.length ? (handles as string[]) : null}::text[] is null or ${sql(r.handle)}::text = any(${handles?.length ? (handles as string[]) : null}::text[]))
    order by 2`) as unknown as RegistryRow[];
}

/** A tenant's footprint from its per-table rows and bytes. */
function footprint(t: RegistryRow, schema: string, parts: { table: string; rows: number; bytes: number }[]): TenantSize {
  const largest = parts.reduce<{ table: string; bytes: number } | null>((a, p) => (p.bytes > (a?.bytes ?? -1) ? p : a), null);
  return {
    tenant: t.handle,
    schema,
    status: t.status,
    schemaExists: true,
    tables: parts.filter((p) => Math.round(p.rows) > 0).length,
    totalBytes: Math.round(parts.reduce((n, p) => n + p.bytes, 0)),
    largestTable: largest && largest.bytes > 0 ? largest.table : null,
    largestBytes: largest && largest.bytes > 0 ? Math.round(largest.bytes) : null,
    rows: Math.round(parts.reduce((n, p) => n + p.rows, 0)),
    // Reported once, in the note: the same tables are unanalyzed for every tenant.
    neverAnalyzed: 0,
    skipped: 0,
    // Pooled tenants are rows in the profile's one schema: no registry row names a schema.
    schemaMismatch: null,
  };
}

/**
 * `monitor tenant-sizes` on a pooled profile: one row per tenant with its rows and bytes
 * across the shared tables. Estimated from statistics by default (no table is read, so the
 * cost does not grow with the rows); exact counts with `exact`, for the tenants named.
 */
export async function pooledTenantSizes(sql: Sql, profile: TenancyProfile, options: TenantSizesOptions = {}): Promise<TenantSizeReport & { profile: string }> {
  const exact = options.exact ?? false;
  if (exact && !options.tenants?.length) {
    throw usageError(`--exact on the pooled profile ${profile.name} counts every row of every table once per tenant.`, 'Name the tenants to count with --tenant, or leave out --exact for estimates from statistics.');
  }
  // The registry and the statistics are read at the same time (estimates need no tenant first).
  const [tenants, estimators] = await Promise.all([
    pooledTenants(sql, profile, options.tenants),
    exact ? null : classify(sql, declarationsOf(profile)).then((cls) => tableEstimators(sql, cls, profile.registry)),
  ]);
  const unknown = (options.tenants ?? []).filter((h) => !tenants.some((t) => t.handle === h));
  if (unknown.length) throw usageError(`--tenant ${unknown[0]}: no such tenant in ${profile.registry.schema}.${profile.registry.table}.`, `See the tenants with: tenantctl --profile ${profile.name} tenant list`);
  const schema = profile.registry.schema;
  let rows: TenantSize[];
  let note: string | null = `profile ${profile.name} (pooled): exact row counts; bytes = table size × the tenant's share of its rows`;
  if (exact) {
    rows = await Promise.all(tenants.map(async (t) => footprint(t, schema, await tableShares(sql, profile, t.id))));
  } else {
    const { shares, neverAnalyzed } = estimators!;
    rows = tenants.map((t) => footprint(t, schema, tenantEstimate(shares, t.id)));
    note = `profile ${profile.name} (pooled): ${POOLED_ESTIMATE_NOTE}${neverAnalyzed ? `; ${neverAnalyzed} table(s) never analyzed count as 0 rows` : ''}`;
  }
  const order = options.sort ?? 'size';
  rows.sort((a, b) => (order === 'name' ? a.tenant.localeCompare(b.tenant) : (order === 'rows' ? b.rows! - a.rows! : b.totalBytes! - a.totalBytes!) || a.tenant.localeCompare(b.tenant)));
  return {
    source: exact ? 'exact' : 'statistics',
    note,
    profile: profile.name,
    tenants: tenants.length,
    rowsExact: exact,
    matched: rows.length,
    skipped: 0,
    rows: options.limit ? rows.slice(0, options.limit) : rows,
  };
}
