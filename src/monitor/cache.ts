import type { Pool, Sql } from '../db/connect.js';
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

/** A ratio from a row's hit and read counters (int8 strings from postgres.js; null counts 0). */
export function hitRatio(kind: HitRatio['kind'], rawHits: unknown, rawReads: unknown): HitRatio {
  const hits = num(rawHits) ?? 0;
  const reads = num(rawReads) ?? 0;
  return { kind, hits, reads, ratioPct: hits + reads > 0 ? Math.round((10000 * hits) / (hits + reads)) / 100 : null };
}

/**
 * Heap, index, TOAST and whole-database cache hit ratios since the statistics were reset.
 * @param schemas only tables of these schemas (the database row is always whole) @default all
 */
export async function cacheHits(sql: Pool, schemas?: readonly string[]): Promise<{ ratios: HitRatio[]; statsReset: Date | null }> {
  // Two counters of every relation: one snapshot of the statistics serves them (stats-snapshot.sql).
  const rows = await sql.begin(async (tx) => {
    await query(tx, 'monitor/stats-snapshot');
    return query(tx, 'monitor/cache-hit', [schemaFilter(schemas)]);
  });
  const ratios = rows.map((r) => hitRatio(r.kind as HitRatio['kind'], r.hits, r.reads));
  const statsReset = (rows.find((r) => r.kind === 'database')?.stats_reset as Date | null | undefined) ?? null;
  return { ratios, statsReset };
}

/** The whole database's hit ratio alone: pg_stat_database, without sizing up every table. */
export async function databaseHitRatio(sql: Sql): Promise<HitRatio> {
  const [row] = await query(sql, 'monitor/database-hit');
  return hitRatio('database', row?.hits, row?.reads);
}
