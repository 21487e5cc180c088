import { query } from '../db/queries.js';
import { lockTimeout, pgCode, type TaskContext, type TaskProblem, type TaskResult } from './task.js';
import { qualifiedIdent } from '../db/ident.js';

interface MatviewRow {
  schema: string;
  name: string;
  populated: boolean;
  has_unique_index: boolean;
}

/**
 * The matviews task: refresh every materialized view, CONCURRENTLY (readers never blocked)
 * when it is populated and has a unique index, plainly otherwise. Each refresh is its own
 * transaction with the lock timeout, so a busy view is reported and the rest still refresh.
 */
export async function runMatviews(ctx: TaskContext): Promise<Omit<TaskResult, 'task' | 'durationMs'>> {
  const views = await query<MatviewRow>(ctx.sql, 'maintain/materialized-views');
  const items: Record<string, unknown>[] = [];
  const problems: TaskProblem[] = [];
  let concurrent = 0;
  for (const v of views) {
    const name = `${v.schema}.${v.name}`;
    const concurrently = v.populated && v.has_unique_index;
    const mode = concurrently ? 'concurrently' : 'plain';
    if (ctx.dryRun) {
      items.push({ view: name, wouldRefresh: mode, ...(concurrently ? {} : { why: v.populated ? 'no unique index' : 'not populated yet' }) });
      continue;
    }
    const started = performance.now();
    try {
      await ctx.sql.begin(async (tx) => {
        await query(tx, 'maintain/set-lock-timeout', [lockTimeout(ctx.config)]);
        if (concurrently) await tx`refresh materialized view concurrently ${qualifiedIdent(tx, v.schema, v.name)}`;
        else await tx`refresh materialized view ${qualifiedIdent(tx, v.schema, v.name)}`;
      });
      if (concurrently) concurrent += 1;
      items.push({ view: name, refreshed: mode, durationMs: Math.round(performance.now() - started) });
    } catch (error) {
      problems.push({ where: name, message: `refresh failed: ${(error as Error).message}`, code: pgCode(error) });
    }
  }
  return {
    ok: problems.length === 0,
    dryRun: ctx.dryRun,
    summary: { views: views.length, [ctx.dryRun ? 'wouldRefresh' : 'refreshed']: ctx.dryRun ? views.length : views.length - problems.length, concurrently: ctx.dryRun ? views.filter((v) => v.populated && v.has_unique_index).length : concurrent },
    items,
    problems,
  };
}
