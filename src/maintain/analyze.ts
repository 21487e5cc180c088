import { qualifiedIdent } from '../db/ident.js';
import { query } from '../db/queries.js';
import { lockTimeout, pgCode, type TaskContext, type TaskProblem, type TaskResult } from './task.js';

interface StaleRow {
  schema: string;
  name: string;
  kind: 'r' | 'm' | 'p';
  changed: string;
  reason: string;
}

/**
 * The analyze task: ANALYZE the tables whose statistics are stale (see stale-tables.sql).
 * ANALYZE of a partitioned table also samples its partitions, so partitions of a parent on
 * the list are not analyzed a second time.
 */
export async function runAnalyze(ctx: TaskContext): Promise<Omit<TaskResult, 'task' | 'durationMs'>> {
  const { minChangedRows, changedFraction } = ctx.config.analyze;
  const rows = await query<StaleRow>(ctx.sql, 'maintain/stale-tables', [minChangedRows, changedFraction]);
  const parents = rows.filter((r) => r.kind === 'p').map((r) => ({ schema: r.schema, name: r.name }));
  // Keyed by the pair, not "schema.name": a name may itself hold a dot.
  const key = (r: { schema: string; name: string }): string => JSON.stringify([r.schema, r.name]);
  const covered = new Set<string>();
  if (parents.length) {
    const leaves = await query<{ schema: string; name: string }>(ctx.sql, 'maintain/partition-leaves', [JSON.stringify(parents)]);
    for (const l of leaves) covered.add(key(l));
  }
  const todo = rows.filter((r) => !covered.has(key(r)));
  const items: Record<string, unknown>[] = [];
  const problems: TaskProblem[] = [];
  for (const r of todo) {
    const name = `${r.schema}.${r.name}`;
    if (ctx.dryRun) {
      items.push({ table: name, reason: r.reason, changedRows: Number(r.changed) });
      continue;
    }
    try {
      await ctx.sql.begin(async (tx) => {
        await query(tx, 'maintain/set-lock-timeout', [lockTimeout(ctx.config)]);
        await tx`analyze ${qualifiedIdent(tx, r.schema, r.name)}`;
      });
      items.push({ table: name, reason: r.reason, changedRows: Number(r.changed) });
    } catch (error) {
      problems.push({ where: name, message: `ANALYZE failed: ${(error as Error).message}`, code: pgCode(error) });
    }
  }
  return {
    ok: problems.length === 0,
    dryRun: ctx.dryRun,
    summary: { stale: todo.length, [ctx.dryRun ? 'wouldAnalyze' : 'analyzed']: ctx.dryRun ? todo.length : todo.length - problems.length },
    items,
    problems,
  };
}
