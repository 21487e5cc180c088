import type { Sql } from '../db/connect.js';
import { query, script } from '../db/queries.js';
import { lockTimeout, pgCode, type TaskContext, type TaskProblem, type TaskResult } from './task.js';
import { qualifiedIdent } from '../db/ident.js';

interface PartitionRow {
  name: string;
  isDefault: boolean;
  from: string | null;
  to: string | null;
}

interface PartitionedTable {
  schema: string;
  table: string;
  key: string;
  current_month: string;
  partitions: PartitionRow[];
}

/** A month as a number (year * 12 + month - 1), so ranges are plain loops. */
type Month = number;

const monthOf = (text: string): Month => Number(text.slice(0, 4)) * 12 + Number(text.slice(5, 7)) - 1;
const label = (m: Month): string => `${Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
const start = (m: Month): string => `${label(m)}-01 00:00:00+00`;
/** The partition name for a month: audit_logs → audit_logs_p2025_01 (what the migration creates). */
export const partitionName = (table: string, m: Month): string => `${table}_p${label(m).replace('-', '_')}`;

/** The month a partition covers, if it covers exactly one UTC calendar month; otherwise null. */
function monthlyBound(p: PartitionRow): Month | null {
  if (!p.from || !p.to || !/^\d{4}-\d{2}-01T00:00:00Z$/.test(p.from)) return null;
  const m = monthOf(p.from);
  return p.to === `${label(m + 1)}-01T00:00:00Z` ? m : null;
}

/** Run `work` in a transaction that reads time in UTC and gives up on locks after the configured timeout. */
async function inUtcTransaction<T>(ctx: TaskContext, work: (tx: Sql) => Promise<T>): Promise<T> {
  return ctx.sql.begin(async (tx) => {
    await query(tx, 'maintain/set-utc');
    await query(tx, 'maintain/set-lock-timeout', [lockTimeout(ctx.config)]);
    return work(tx);
  }) as Promise<T>;
}

/** Rows of the DEFAULT partition per month: data that has no partition of its own yet. */
async function defaultRowsByMonth(ctx: TaskContext, t: PartitionedTable, defaultName: string): Promise<Map<Month, number>> {
  const rows = await inUtcTransaction(ctx, (tx) => tx`
    select to_char(date_trunc('month', ${tx(t.key)}), 'YYYY-MM') as month, count(*)::bigint as n
    from ${qualifiedIdent(tx, t.schema, defaultName)}
    group by 1`);
  return new Map((rows as unknown as { month: string; n: string }[]).map((r) => [monthOf(r.month), Number(r.n)]));
}

/** Create one month's partition, moving its rows out of the DEFAULT partition when there are any. Returns rows moved. */
async function createMonth(ctx: TaskContext, t: PartitionedTable, m: Month, defaultName: string | undefined, rowsInDefault: number): Promise<number> {
  return inUtcTransaction(ctx, async (tx) => {
    await query(tx, 'maintain/partition-args', [t.schema, t.table, partitionName(t.table, m), start(m), start(m + 1), defaultName ?? '', t.key]);
    if (defaultName && rowsInDefault > 0) {
      await script(tx, 'maintain/split-default');
      const [row] = await query<{ moved: string }>(tx, 'maintain/moved-rows');
      return Number(row!.moved);
    }
    await script(tx, 'maintain/create-partition');
    return 0;
  });
}

/**
 * The partitions task: for every table range-partitioned by month on a date/time column
 * (public.audit_logs, from migration 0002), create each missing month from its latest
 * partition at or before the current month through `ahead` months after it, and give rows
 * parked in the DEFAULT partition a partition of their own month. Tables partitioned any other way are
 * left alone and listed as such.
 */
export async function runPartitions(ctx: TaskContext): Promise<Omit<TaskResult, 'task' | 'durationMs'>> {
  const tables = await inUtcTransaction(ctx, (tx) => query<PartitionedTable>(tx, 'maintain/monthly-partitioned'));
  const items: Record<string, unknown>[] = [];
  const problems: TaskProblem[] = [];
  let created = 0;
  let moved = 0;
  let missingTotal = 0;
  let leftInDefault = 0;
  let managed = 0;
  for (const t of tables) {
    const where = `${t.schema}.${t.table}`;
    const ranged = t.partitions.filter((p) => !p.isDefault);
    const months = ranged.map(monthlyBound);
    if (!ranged.length || months.some((m) => m === null)) {
      items.push({ table: where, managed: false, reason: ranged.length ? 'partitions are not one calendar month each' : 'no range partitions to follow' });
      continue;
    }
    managed += 1;
    if (partitionName(t.table, 0).length + 4 > 63) {
      problems.push({ where, message: `table name too long for monthly partition names (${partitionName(t.table, 0)}).` });
      continue;
    }
    const have = new Set(months as Month[]);
    const defaultName = t.partitions.find((p) => p.isDefault)?.name;
    const inDefault = defaultName ? await defaultRowsByMonth(ctx, t, defaultName) : new Map<Month, number>();
    const current = monthOf(t.current_month);
    const through = current + ctx.config.partitions.ahead;
    // From the latest partition at or before this month (the months maintain may have missed)
    // through `ahead`, and the months of the rows parked in DEFAULT. Not the gaps before that:
    // a partition made for one stray old row would otherwise make the next run fill every
    // month since (309 empty partitions for a row of 2001), which no dry run had shown.
    const from = Math.max(...[...have].filter((m) => m <= current), Math.min(current, ...have));
    const wanted = new Set<Month>(inDefault.keys());
    for (let m = from; m <= through; m++) wanted.add(m);
    const missing = [...wanted].filter((m) => !have.has(m)).sort((a, b) => a - b);
    missingTotal += missing.length;
    const done: string[] = [];
    let movedHere = 0;
    for (const m of missing) {
      if (ctx.dryRun) continue;
      try {
        movedHere += await createMonth(ctx, t, m, defaultName, inDefault.get(m) ?? 0);
        done.push(partitionName(t.table, m));
      } catch (error) {
        problems.push({ where, message: `creating ${partitionName(t.table, m)}: ${(error as Error).message}`, code: pgCode(error) });
      }
    }
    const wouldMove = missing.reduce((a, m) => a + (inDefault.get(m) ?? 0), 0);
    created += done.length;
    moved += ctx.dryRun ? wouldMove : movedHere;
    const stillInDefault = ctx.dryRun ? [...inDefault.values()].reduce((a, b) => a + b, 0) : defaultName ? [...(await defaultRowsByMonth(ctx, t, defaultName)).values()].reduce((a, b) => a + b, 0) : 0;
    leftInDefault += stillInDefault;
    if (stillInDefault && !ctx.dryRun) problems.push({ where, message: `${stillInDefault} row(s) still in the DEFAULT partition ${defaultName}.` });
    if (missing.length || stillInDefault) {
      items.push({
        table: where,
        managed: true,
        missing: missing.map(label),
        [ctx.dryRun ? 'wouldCreate' : 'created']: ctx.dryRun ? missing.map((m) => partitionName(t.table, m)) : done,
        [ctx.dryRun ? 'wouldMove' : 'movedFromDefault']: ctx.dryRun ? wouldMove : movedHere,
        defaultRows: stillInDefault,
        through: label(through),
      });
    }
  }
  return {
    ok: problems.length === 0,
    dryRun: ctx.dryRun,
    summary: { tables: managed, missing: missingTotal, [ctx.dryRun ? 'wouldCreate' : 'created']: ctx.dryRun ? missingTotal : created, [ctx.dryRun ? 'wouldMove' : 'movedFromDefault']: moved, defaultRows: leftInDefault },
    items,
    problems,
  };
}
