import { availableParallelism } from 'node:os';
import type { Tx } from '../db/connect.js';
import { query } from '../db/queries.js';
import { boundSetting, keySample, type ExportShape } from './export-sql.js';

import type { EntitySpec } from './spec.js';

/**
 * Cutting an export into parts that run at once, each on its own connection in the same
 * snapshot (pg_export_snapshot), as pg_dump -j does per table. Most of a COPY's time is
 * the server formatting rows, one backend on one core; two parts of 1,000,000 products
 * took 2.6-2.9 s where one took 3.3-3.9 s on two cores. Parts are ranges of the natural
 * key, so written one after another they are exactly the single export's bytes.
 */

/** Below this a table goes out in one part: starting the others would cost more than they save. */
export const PARALLEL_MIN_BYTES = 64 << 20;
/** Parts at most: the command's connection pool holds four. */
export const MAX_JOBS = 4;
/** Pages read to choose where to cut (SYSTEM sampling reads whole pages). */
const SAMPLE_PAGES = 300;

/** The key columns as (table, column): a lookup key lives in the lookup table. */
function keyColumns(entity: EntitySpec): { tables: string[]; columns: string[] } {
  const tables: string[] = [];
  const columns: string[] = [];
  for (const csv of entity.naturalKey) {
    const lookup = entity.lookups?.find((l) => l.columns[0]!.csv === csv);
    tables.push(lookup ? lookup.table : entity.table);
    columns.push(lookup ? lookup.columns[0]!.column : entity.columns.find((c) => c.csv === csv)!.column);
  }
  return { tables, columns };
}

/**
 * Where to cut: `jobs - 1` natural keys from a sample, each the lower bound of a part (the
 * first part has none). Empty = one part: a small table (unless `jobs` was asked for), a
 * key column that allows NULL, or too few rows to cut.
 * @param jobs parts asked for; undefined = as many as there are cores (up to MAX_JOBS) for a big table
 * @param poolSize connections the pool may open (the caller's own included)
 */
export async function cutPoints(tx: Tx, entity: EntitySpec, schema: string, shape: ExportShape, jobs: number | undefined, poolSize: number): Promise<string[][]> {
  if (jobs === 1) return [];
  const keys = keyColumns(entity);
  const [info] = await query<{ bytes: string; block_size: number; keys_not_null: boolean }>(tx, 'csv/export-split-info', [schema, entity.table, keys.tables, keys.columns]);
  if (!info?.keys_not_null) return [];
  const bytes = Number(info.bytes);
  // Never more parts than the pool has connections: a part waiting for one would wait forever.
  const parts = Math.min(MAX_JOBS, poolSize, jobs ?? (bytes >= PARALLEL_MIN_BYTES ? availableParallelism() : 1));
  if (parts < 2) return [];
  const pages = Math.max(1, bytes / info.block_size);
  const percent = Math.min(100, (100 * SAMPLE_PAGES) / pages);
  const sample = (await tx`${keySample(tx, shape, percent)}`) as unknown as Record<string, string>[];
  const cuts: string[][] = [];
  for (let i = 1; i < parts; i += 1) {
    const at = Math.floor((i * sample.length) / parts);
    // The first part starts at the beginning: a cut at the smallest key would leave it empty.
    if (at === 0) continue;
    const cut = keys.columns.map((_c, k) => sample[at]![`k${k}`]!);
    const previous = cuts[cuts.length - 1];
    if (previous?.every((v, k) => v === cut[k])) continue;
    cuts.push(cut);
  }
  return cuts;
}

/** Set this session's bounds for part `index` of the parts that `cuts` make. */
export async function setBounds(tx: Tx, cuts: string[][], index: number): Promise<{ lower: boolean; upper: boolean }> {
  const lower = cuts[index - 1];
  const upper = cuts[index];
  const names = [...(lower ?? []).map((_v, k) => boundSetting('lower', k)), ...(upper ?? []).map((_v, k) => boundSetting('upper', k))];
  if (names.length) await tx`select set_config(name, value, true) from unnest(${names}::text[], ${[...(lower ?? []), ...(upper ?? [])]}::text[]) as s(name, value)`;
  return { lower: Boolean(lower), upper: Boolean(upper) };
}
