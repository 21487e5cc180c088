import type { Sql } from '../../db/connect.js';
import { query, registryQuery } from '../../db/queries.js';
import type { Classification, ClassifiedTable } from '../../pooled/classify.js';
import type { RegistrySpec } from '../../tenancy/profile.js';

/**
 * Per-tenant rows and bytes of a pooled schema estimated from statistics (POOLED.md §6): no
 * table is read, so the cost does not grow with the rows and nothing waits behind a
 * migration's lock. `monitor tenant-sizes` and `tenant list` both share the tables out this way.
 */

interface ColumnStats {
  table: string;
  column: string;
  reltuples: number;
  /** reltuples < 0: never vacuumed or analyzed (an analyzed empty table has 0 and no pg_stats row). */
  never_analyzed: boolean;
  null_frac: number | null;
  n_distinct: number | null;
  mcv: string[] | null;
  freqs: number[] | null;
}

/** One table's estimator: the tenant's fraction of its rows, from the tenant column's statistics. */
export interface Share {
  table: string;
  rows: number;
  bytes: number;
  /** Fraction of the rows that belong to a tenant; null before the first ANALYZE. */
  of: ((tenantId: string) => number) | null;
}

/**
 * MCV frequency when the tenant is a common value, else an even part of what the common
 * values leave. No MCV list at all means no value repeats often enough to stand out (one
 * row per tenant, e.g. warehouses with n_distinct = -1): every tenant gets an even part.
 * The statistics do not say WHICH other tenants hold those rows: when the registry has more
 * keys outside the MCV list than the column has other values (tenants without a row here),
 * the rest is spread over all of them, so that the tenants' shares never add up to more than
 * the table (one order among two organizations: half each, not all of it twice).
 * @param registryRows every key the tenant column could hold
 */
function estimator(s: ColumnStats, registryRows: number): Share['of'] {
  if (s.n_distinct === null) return null;
  const mcv = s.mcv ?? [];
  const freqs = s.freqs ?? [];
  const common = new Map(mcv.map((v, i) => [v, freqs[i]!]));
  const distinct = s.n_distinct < 0 ? -s.n_distinct * s.reltuples : s.n_distinct;
  const others = Math.max(distinct - common.size, registryRows - common.size, 0);
  const rest = Math.max(1 - (s.null_frac ?? 0) - freqs.reduce((a, b) => a + b, 0), 0);
  return (id) => common.get(id) ?? (others > 0 ? rest / others : 0);
}

/** Every direct table's share from statistics; indirect tables follow their parent's share (uniform fan-out). */
export async function tableEstimators(sql: Sql, cls: Classification, registry: RegistrySpec): Promise<{ shares: Share[]; neverAnalyzed: number }> {
  const direct = cls.tables.filter((t) => t.class === 'direct' && t.tenantColumn);
  // The reads at once: on a busy server the round trips, not the work, are the cost.
  const [stats, sizeRows, [keys]] = await Promise.all([
    query<ColumnStats>(sql, 'pooled/tenant-column-stats', [cls.schema, JSON.stringify(direct.map((t) => ({ table: t.table, column: t.tenantColumn })))]),
    query<{ table: string; rows: number; bytes: string; never_analyzed: boolean }>(sql, 'pooled/table-sizes', [cls.schema]),
    registryQuery<{ n: string }>(sql, 'pooled/registry-rows', registry),
  ]);
  const registryRows = Number(keys?.n ?? 0);
  const byTable = new Map(stats.map((s) => [s.table, s]));
  const byName = new Map(cls.tables.map((t) => [t.table, t]));
  /** The direct table at the top of an owner path (indirect → … → direct), if any. */
  const root = (t: ClassifiedTable, seen = new Set<string>()): ColumnStats | undefined => {
    if (t.class === 'direct') return byTable.get(t.table);
    if (t.class !== 'indirect' || !t.owner || seen.has(t.table)) return undefined;
    seen.add(t.table);
    const parent = byName.get(t.owner.parent);
    return parent ? root(parent, seen) : undefined;
  };
  const sizes = new Map(sizeRows.map((r) => [String(r.table), r]));
  const shares: Share[] = [];
  let neverAnalyzed = 0;
  for (const t of cls.tables) {
    const parentStats = root(t);
    const size = sizes.get(t.table);
    if (!parentStats || !size) continue;
    shares.push({ table: t.table, rows: Number(size.rows), bytes: Number(size.bytes), of: estimator(parentStats, registryRows) });
    // Its own rows unknown, or the share its tenant column's statistics would give.
    if (size.never_analyzed || parentStats.never_analyzed) neverAnalyzed += 1;
  }
  return { shares, neverAnalyzed };
}


/** One tenant's estimated rows and bytes per table (0 for a table never analyzed). */
export const tenantEstimate = (shares: readonly Share[], tenantId: string): { table: string; rows: number; bytes: number }[] =>
  shares.map((s) => {
    const f = s.of?.(tenantId) ?? 0;
    return { table: s.table, rows: f * s.rows, bytes: f * s.bytes };
  });
