import type { Pool } from '../db/connect.js';
import type { TenantSource } from '../migrate/state.js';
import { runAnalyze } from './analyze.js';
import type { MaintainConfig } from './config.js';
import { withMaintainLock } from './lock.js';
import { runMatviews } from './matviews.js';
import { runPartitions } from './partitions.js';
import { runPool } from './pool.js';
import { runRetention } from './retention.js';
import { pgCode, TASKS, type SpareMigrations, type TaskContext, type TaskName, type TaskResult } from './task.js';

const RUNNERS: Record<TaskName, (ctx: TaskContext) => Promise<Omit<TaskResult, 'task' | 'durationMs'>>> = {
  retention: runRetention,
  partitions: runPartitions,
  matviews: runMatviews,
  analyze: runAnalyze,
  pool: runPool,
};

/** How a maintenance run goes. */
export interface MaintainOptions {
  config: MaintainConfig;
  /** Tasks to run, in TASKS order whatever the order given. @default every task */
  only?: readonly TaskName[];
  /** Report what would be done; change nothing. @default false */
  dryRun?: boolean;
  archiveDir?: string;
  /** TENANTCTL_FAILPOINT (tests only). */
  failpoints?: string;
  /** Where `shared` retention rules apply: the profile's one schema (commerce: public). @default 'public' */
  sharedSchema?: string;
  /** The tenant migrations the pool's spares are built at (those `tenant create` runs); none for a pooled profile. */
  spareMigrations?: SpareMigrations;
  now: () => Date;
  /** Called as each task finishes, for JSON Lines logs. */
  onTask?: (result: TaskResult) => void;
}

/**
 * One maintenance run under the advisory lock: each task in turn, each idempotent. A task
 * that fails is reported and the next still runs — tonight's ANALYZE should not wait for
 * tomorrow because one table was busy. Throws (exit 75) only when another run holds the lock.
 * `tenancy` (the profile's `lifecycle.targets`) lists the tenant schemas of `tenant` rules; a pooled profile lists none.
 */
export async function runMaintenance(sql: Pool, tenancy: Pick<TenantSource, 'listTenants'>, options: MaintainOptions): Promise<TaskResult[]> {
  return withMaintainLock(sql, async () => {
    const tenants = await tenancy.listTenants(sql);
    const ctx: TaskContext = { sql, config: options.config, dryRun: Boolean(options.dryRun), tenants, archiveDir: options.archiveDir, sharedSchema: options.sharedSchema, spareMigrations: options.spareMigrations, startedAt: options.now(), failpoints: options.failpoints };
    const results: TaskResult[] = [];
    for (const task of TASKS) {
      if (options.only?.length && !options.only.includes(task)) continue;
      const started = performance.now();
      let result: TaskResult;
      try {
        result = { task, ...(await RUNNERS[task](ctx)), durationMs: 0 };
      } catch (error) {
        result = { task, ok: false, dryRun: ctx.dryRun, durationMs: 0, summary: {}, items: [], problems: [{ where: task, message: (error as Error).message, code: pgCode(error) }] };
      }
      result.durationMs = Math.round(performance.now() - started);
      results.push(result);
      options.onTask?.(result);
    }
    return results;
  });
}
