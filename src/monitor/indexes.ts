import type { Pool, Sql } from '../db/connect.js';
import { query, renderedQuery, renderedSqlText, sqlText } from '../db/queries.js';
import { hitRatio, type HitRatio } from './cache.js';
import { DEFAULT_LOCK_TIMEOUT, num, prepareSession, schemaFilter } from './session.js';
import { fewSchemasNamed } from './sizes.js';

/** An index worth a look: never used, made unnecessary by another, or invalid. */
export interface IndexFinding {
  kind: 'unused' | 'duplicate' | 'redundant' | 'invalid';
  schema: string;
  table: string;
  index: string;
  sizeBytes: number;
  scans: number | null;
  /** For duplicate/redundant: the index that makes this one unnecessary. */
  coveredBy: string | null;
  detail: string;
}

export interface IndexReport {
  /** The index buffer-cache hit ratio of the selected schemas. */
  hitRate: HitRatio;
  /** When this database's statistics were last reset: "unused" means unused since then. */
  statsSince: Date | null;
  /** Matches before the limit; duplicate counts duplicate and redundant indexes together. */
  counts: { unused: number; duplicate: number; invalid: number };
  findings: IndexFinding[];
}

export interface IndexOptions {
  /** @default all but system schemas */
  schemas?: readonly string[];
  /** Per kind (unused, duplicate/redundant). @default 50 */
  limit?: number;
  /** The monitoring session's lock_timeout, for the second connection. @default DEFAULT_LOCK_TIMEOUT */
  lockTimeout?: string;
  /** Up to this many schemas named, their indexes are found through the catalog's indexes. @default LOOKUP_SCHEMAS */
  lookupSchemas?: number;
}

const DETAIL: Record<IndexFinding['kind'], (coveredBy: string | null, notReady: boolean) => string> = {
  invalid: (_c, notReady) => (notReady ? 'build failed or still running (not ready)' : 'build failed: DROP INDEX and create it again'),
  duplicate: (coveredBy) => `same definition as ${String(coveredBy)}`,
  redundant: (coveredBy) => `leading columns of ${String(coveredBy)}`,
  unused: () => 'never scanned since statistics reset',
};
const ORDER: Record<IndexFinding['kind'], number> = { invalid: 0, duplicate: 1, redundant: 1, unused: 2 };

type Row = Record<string, unknown>;

/**
 * indexes.sql's {{has.stats}}: whether an index has a statistics entry, in one shared-memory
 * lookup (pg_stat_have_stats), so that the ~90% of a big fleet's indexes with none cost one
 * lookup instead of two per statistic. Where the session may not call it (before PostgreSQL 15,
 * or a role that is no superuser and was not granted it), `true`: every index's counters are
 * read, as before; the findings are the same, only slower on a big fleet. (Before 15 the
 * statistics are a copy local to the transaction anyway, where a lookup is cheap.)
 */
export const hasStats = (callable: boolean): string =>
  callable ? "pg_stat_have_stats('relation', (select oid from pg_database where datname = current_database()), c.oid)" : 'true';

/**
 * Where both statements find the indexes in scope ({{scope.index.classes}} and
 * {{scope.index.rows}}): all of pg_class and pg_index in one pass, or, for a few schemas named
 * (a --tenant), their tables' indexes through the catalog's indexes (scope-index-*.sql), so that
 * a report on one tenant costs its indexes and not the fleet's (1.1 s at 10,000 schemas).
 */
export function indexSources(schemas: readonly string[], lookupSchemas?: number): Record<string, string> {
  if (!fewSchemasNamed(schemas, lookupSchemas)) return { 'scope.index.classes': 'pg_class', 'scope.index.rows': 'pg_index' };
  const rows = sqlText('monitor/scope-index-rows');
  return { 'scope.index.classes': renderedSqlText('monitor/scope-index-classes', { 'scope.index.rows': rows }, 'indexSources'), 'scope.index.rows': rows };
}

/**
 * One part of the report in a transaction of its own, on whichever connection of the pool
 * is free, with the monitoring session's settings (a second connection has none yet).
 */
async function part(sql: Pool, lockTimeout: string, work: (tx: Sql, haveStatsCallable: boolean) => Promise<Row[]>): Promise<Row[]> {
  return (await sql.begin(async (tx) => {
    const { haveStatsCallable } = await prepareSession(tx, lockTimeout);
    return work(tx, haveStatsCallable);
  })) as Row[];
}

/**
 * Unused, duplicate/redundant and invalid indexes, and the index hit rate: one pass over the
 * catalog's indexes with the statistics (src/sql/monitor/indexes.sql) and one over pg_index
 * for the duplicates (index-duplicates.sql, grouped by sorting: sort-grouping.sql), side by
 * side when the pool has two connections (each is a second of server CPU at 10,000 tenant
 * schemas, and the statistics part runs mostly in one backend); the findings largest first
 * per kind.
 */
export async function indexReport(sql: Pool, options: IndexOptions = {}): Promise<IndexReport> {
  const schemas = schemaFilter(options.schemas);
  const limit = options.limit ?? 50;
  const lockTimeout = options.lockTimeout ?? DEFAULT_LOCK_TIMEOUT;
  const sources = indexSources(schemas, options.lookupSchemas);
  const [statRows, duplicates] = await Promise.all([
    part(sql, lockTimeout, (tx, haveStatsCallable) => renderedQuery(tx, 'monitor/indexes', { ...sources, 'has.stats': hasStats(haveStatsCallable) }, [schemas, limit])),
    part(sql, lockTimeout, async (tx) => {
      await query(tx, 'monitor/sort-grouping');
      return renderedQuery(tx, 'monitor/index-duplicates', sources, [schemas, limit]);
    }),
  ]);
  const rows = [...statRows, ...duplicates];
  const summary = statRows.find((r) => r.kind === 'summary')!;
  const findings: IndexFinding[] = rows
    .filter((r) => r.kind !== 'summary')
    .map((r) => {
      const kind = r.kind as IndexFinding['kind'];
      const coveredBy = (r.covered_by as string | null) ?? null;
      return {
        kind, schema: String(r.schema), table: String(r.table), index: String(r.index), sizeBytes: num(r.size_bytes) ?? 0,
        scans: kind === 'unused' ? num(r.scans) : null, coveredBy, detail: DETAIL[kind](coveredBy, Boolean(r.not_ready)),
      };
    })
    .sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || b.sizeBytes - a.sizeBytes || a.schema.localeCompare(b.schema) || a.table.localeCompare(b.table) || a.index.localeCompare(b.index));
  return {
    hitRate: hitRatio('index', summary.hits, summary.reads),
    statsSince: (summary.stats_reset as Date | null) ?? null,
    counts: {
      unused: num(summary.unused_matched) ?? 0,
      duplicate: num(duplicates[0]?.matched) ?? 0,
      invalid: findings.filter((f) => f.kind === 'invalid').length,
    },
    findings,
  };
}
