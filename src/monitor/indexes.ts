import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { cacheHits, type HitRatio } from './cache.js';
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

/** Unused, duplicate/redundant and invalid indexes, and the index hit rate. */
export async function indexReport(sql: Sql, options: IndexOptions = {}): Promise<IndexReport> {
  const schemas = schemaFilter(options.schemas);
  const limit = options.limit ?? 50;
  const unused = await query(sql, 'monitor/indexes-unused', [schemas, limit]);
  const duplicates = await query(sql, 'monitor/indexes-duplicate', [schemas, limit]);
  const invalid = await query(sql, 'monitor/indexes-invalid', [schemas]);
  const cache = await cacheHits(sql, options.schemas);
  const findings: IndexFinding[] = [
    ...invalid.map((r) => ({
      kind: 'invalid' as const, schema: String(r.schema), table: String(r.table), index: String(r.index), sizeBytes: num(r.size_bytes) ?? 0, scans: null, coveredBy: null,
      detail: r.not_ready ? 'build failed or still running (not ready)' : 'build failed: DROP INDEX and create it again',
    })),
    ...duplicates.map((r) => ({
      kind: r.kind as 'duplicate' | 'redundant', schema: String(r.schema), table: String(r.table), index: String(r.index), sizeBytes: num(r.size_bytes) ?? 0, scans: null, coveredBy: String(r.covered_by),
      detail: r.kind === 'duplicate' ? `same definition as ${String(r.covered_by)}` : `leading columns of ${String(r.covered_by)}`,
    })),
    ...unused.map((r) => ({
      kind: 'unused' as const, schema: String(r.schema), table: String(r.table), index: String(r.index), sizeBytes: num(r.size_bytes) ?? 0, scans: num(r.scans), coveredBy: null,
      detail: 'never scanned since statistics reset',
    })),
  ];
  return {
    hitRate: cache.ratios.find((r) => r.kind === 'index')!,
    statsSince: cache.statsReset,
    counts: {
      unused: num(unused[0]?.matched) ?? 0,
      duplicate: num(duplicates[0]?.matched) ?? 0,
      invalid: invalid.length,
    },
    findings,
  };
}
