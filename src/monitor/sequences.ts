import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { schemaFilter } from './session.js';

/** How far one sequence has gone towards the limit it can reach. */
export interface SequenceUsage {
  schema: string;
  sequence: string;
  dataType: string;
  lastValue: string | null;
  /** The effective limit: the sequence's max (min when descending), or its column type's if tighter. */
  limit: string;
  /** Where the limit comes from: the sequence itself or the integer column it feeds. */
  limitFrom: 'sequence' | 'column';
  ownedBy: string | null;
  /** Share of the range from the start value's side to the limit already used; null when never used. */
  usedPct: number | null;
  /** nextval calls left before the limit. */
  callsLeft: string | null;
  cycles: boolean;
  skipped: boolean;
}

export interface SequenceOptions {
  schemas?: readonly string[];
  /** @default 20 */
  limit?: number;
  /** Sequences per statement (each holds its locks until the statement ends). @default 1000 */
  batchSize?: number;
}

interface ListedSequence {
  oid: string;
  schema: string;
  sequence: string;
  data_type: string;
  min_value: string;
  max_value: string;
  increment: string;
  cycles: boolean;
  owned_by_table: string | null;
  owned_by_column: string | null;
  column_max: string | null;
  column_min: string | null;
}

/** Percentage of the way from 0 (or the other end) to the limit; BigInt so int8 values stay exact. */
export function usage(last: bigint, increment: bigint, min: bigint, max: bigint): { usedPct: number; callsLeft: bigint } {
  const ascending = increment > 0n;
  const limit = ascending ? max : min;
  const origin = ascending ? (min > 0n ? min : 0n) : max < 0n ? max : 0n;
  const span = limit - origin;
  const used = last - origin;
  // Rounded down to 0.01 %: rounding up would judge 94.995 % as at a 95 % threshold.
  const usedPct = span === 0n ? 100 : Math.floor(Number((used * 1_000_000n) / span) / 100) / 100;
  const callsLeft = (limit - last) / increment;
  return { usedPct: Math.max(0, Math.min(100, usedPct)), callsLeft: callsLeft < 0n ? 0n : callsLeft };
}

/**
 * Every sequence's distance to its limit, the most used first. The list comes from the
 * catalog; current values are read in batches because each read locks the sequence until
 * the statement ends, and 30,000 in one statement would exhaust the lock table.
 */
export async function sequenceReport(sql: Sql, options: SequenceOptions = {}): Promise<{ total: number; skipped: number; unreadable: number; sequences: SequenceUsage[] }> {
  const listed = await query<ListedSequence>(sql, 'monitor/sequences-list', [schemaFilter(options.schemas)]);
  const batch = options.batchSize ?? 1000;
  const values = new Map<string, { last: string | null; skipped: boolean }>();
  let unreadable = 0;
  for (let i = 0; i < listed.length; i += batch) {
    const oids = listed.slice(i, i + batch).map((s) => String(s.oid));
    for (const r of await query<{ oid: string; last_value: string | null; skipped: boolean; unreadable: boolean }>(sql, 'monitor/sequence-values', [oids])) {
      values.set(String(r.oid), { last: r.last_value, skipped: r.skipped });
      if (r.unreadable) unreadable += 1;
    }
  }
  const sequences = listed.map((s): SequenceUsage => {
    const increment = BigInt(s.increment);
    const ascending = increment > 0n;
    let max = BigInt(s.max_value);
    let min = BigInt(s.min_value);
    let limitFrom: SequenceUsage['limitFrom'] = 'sequence';
    if (ascending && s.column_max !== null && BigInt(s.column_max) < max) [max, limitFrom] = [BigInt(s.column_max), 'column'];
    if (!ascending && s.column_min !== null && BigInt(s.column_min) > min) [min, limitFrom] = [BigInt(s.column_min), 'column'];
    const value = values.get(String(s.oid));
    const measured = value?.last != null ? usage(BigInt(value.last), increment, min, max) : null;
    return {
      schema: s.schema,
      sequence: s.sequence,
      dataType: s.data_type,
      lastValue: value?.last ?? null,
      limit: String(ascending ? max : min),
      limitFrom,
      ownedBy: s.owned_by_table ? `${s.owned_by_table}.${s.owned_by_column}` : null,
      usedPct: measured?.usedPct ?? null,
      callsLeft: measured ? String(measured.callsLeft) : null,
      cycles: s.cycles,
      skipped: value?.skipped ?? false,
    };
  });
  // A CYCLE sequence starts over at its limit instead of failing: it goes after those that can run out.
  sequences.sort((a, b) => Number(a.cycles) - Number(b.cycles) || (b.usedPct ?? -1) - (a.usedPct ?? -1) || a.schema.localeCompare(b.schema) || a.sequence.localeCompare(b.sequence));
  return { total: sequences.length, skipped: sequences.filter((s) => s.skipped).length, unreadable, sequences: sequences.slice(0, options.limit ?? 20) };
}
