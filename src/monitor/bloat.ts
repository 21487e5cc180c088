import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { num, schemaFilter } from './session.js';

/** Estimated bloat of one table or b-tree index. */
export interface BloatRow {
  kind: 'table' | 'index';
  schema: string;
  table: string;
  index: string | null;
  sizeBytes: number;
  bloatBytes: number;
  bloatPct: number;
  fillfactor: number;
  /** Some columns lack statistics (never analyzed, or "name" columns): the estimate is unreliable. */
  statsMissing: boolean;
}

export interface BloatOptions {
  schemas?: readonly string[];
  /** Ignore relations smaller than this; also keeps the pg_stats join small on a fleet. @default 1 MiB */
  minBytes?: number;
  /** @default 20 */
  limit?: number;
}

/**
 * Estimated table and b-tree index bloat (ioguix's estimate, from pg_class and pg_stats;
 * nothing is scanned). Sorted by estimated bloat bytes, tables and indexes together.
 */
export async function bloatReport(sql: Sql, options: BloatOptions = {}): Promise<{ minBytes: number; rows: BloatRow[] }> {
  const schemas = schemaFilter(options.schemas);
  const minBytes = options.minBytes ?? 1024 * 1024;
  const limit = options.limit ?? 20;
  const convert = (kind: 'table' | 'index') => (r: Record<string, unknown>): BloatRow => ({
    kind,
    schema: String(r.schema),
    table: String(r.table),
    index: (r.index as string | null) ?? null,
    sizeBytes: num(r.size_bytes) ?? 0,
    bloatBytes: num(r.bloat_bytes) ?? 0,
    bloatPct: num(r.bloat_pct) ?? 0,
    fillfactor: num(r.fillfactor) ?? 100,
    statsMissing: Boolean(r.stats_missing),
  });
  const tables = (await query(sql, 'monitor/table-bloat', [schemas, minBytes, limit])).map(convert('table'));
  const indexes = (await query(sql, 'monitor/index-bloat', [schemas, minBytes, limit])).map(convert('index'));
  const rows = [...tables, ...indexes].sort((a, b) => b.bloatBytes - a.bloatBytes || b.sizeBytes - a.sizeBytes).slice(0, limit);
  return { minBytes, rows };
}
