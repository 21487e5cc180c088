import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { hitRatio, type HitRatio } from './cache.js';
import { num, schemaFilter } from './session.js';

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
}

const DETAIL: Record<IndexFinding['kind'], (coveredBy: string | null, notReady: boolean) => string> = {
  invalid: (_c, notReady) => (notReady ? 'build failed or still running (not ready)' : 'build failed: DROP INDEX and create it again'),
  duplicate: (coveredBy) => `same definition as ${String(coveredBy)}`,
  redundant: (coveredBy) => `leading columns of ${String(coveredBy)}`,
  unused: () => 'never scanned since statistics reset',
};
const ORDER: Record<IndexFinding['kind'], number> = { invalid: 0, duplicate: 1, redundant: 1, unused: 2 };

/**
 * Unused, duplicate/redundant and invalid indexes, and the index hit rate: one statement
 * over the catalog (see src/sql/monitor/indexes.sql), the findings largest first per kind.
 */
export async function indexReport(sql: Sql, options: IndexOptions = {}): Promise<IndexReport> {
  const rows = await query(sql, 'monitor/indexes', [schemaFilter(options.schemas), options.limit ?? 50]);
  const summary = rows.find((r) => r.kind === 'summary')!;
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
      duplicate: num(summary.duplicate_matched) ?? 0,
      invalid: findings.filter((f) => f.kind === 'invalid').length,
    },
    findings,
  };
}
