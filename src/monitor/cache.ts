import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { num, schemaFilter } from './session.js';

/** Buffer-cache hits against reads from disk (or the OS cache) for one kind of block. */
export interface HitRatio {
  kind: 'heap' | 'index' | 'toast' | 'database';
  hits: number;
  reads: number;
  /** hits / (hits + reads) as a percentage; null when nothing was read yet. */
  ratioPct: number | null;
}

/**
 * Heap, index, TOAST and whole-database cache hit ratios since the statistics were reset.
 * @param schemas only tables of these schemas (the database row is always whole) @default all
 */
export async function cacheHits(sql: Sql, schemas?: readonly string[]): Promise<{ ratios: HitRatio[]; statsReset: Date | null }> {
  const rows = await query(sql, 'monitor/cache-hit', [schemaFilter(schemas)]);
  const ratios = rows.map((r) => {
    const hits = num(r.hits) ?? 0;
    const reads = num(r.reads) ?? 0;
    return { kind: r.kind as HitRatio['kind'], hits, reads, ratioPct: hits + reads > 0 ? Math.round((10000 * hits) / (hits + reads)) / 100 : null };
  });
  const statsReset = (rows.find((r) => r.kind === 'database')?.stats_reset as Date | null | undefined) ?? null;
  return { ratios, statsReset };
}
