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

/** hits / (hits + reads) as a percentage with two decimals; null when nothing was read. */
export function hitPct(hits: number, reads: number): number | null {
  return hits + reads > 0 ? Math.round((10000 * hits) / (hits + reads)) / 100 : null;
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
    return { kind: r.kind as HitRatio['kind'], hits, reads, ratioPct: hitPct(hits, reads) };
  });
  const statsReset = (rows.find((r) => r.kind === 'database')?.stats_reset as Date | null | undefined) ?? null;
  return { ratios, statsReset };
}

/** The whole database's hit ratio alone: pg_stat_database, without sizing up every table. */
export async function databaseHitRatio(sql: Sql): Promise<HitRatio> {
  const [row] = await query(sql, 'monitor/database-hit');
  const hits = num(row?.hits) ?? 0;
  const reads = num(row?.reads) ?? 0;
  return { kind: 'database', hits, reads, ratioPct: hitPct(hits, reads) };
}
