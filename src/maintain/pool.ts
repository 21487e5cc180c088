import { PACKAGE_ROOT } from '../db/queries.js';
import { loadMigrations } from '../migrate/files.js';
import { poolStatus, refillPool } from '../tenants/pool.js';
import type { TaskContext, TaskResult } from './task.js';

/**
 * The pool task: bring the warm pool of spare tenant schemas back to the size last asked for by
 * `tenant pool fill --size` (refilled, or the surplus dropped; nothing when never asked), at the
 * tenant migrations shipped with tenantctl. Spares built from other migration files are never
 * handed out by `tenant create` (it takes only spares at its own files' versions and checksums).
 */
export async function runPool(ctx: TaskContext): Promise<Omit<TaskResult, 'task' | 'durationMs'>> {
  const migrations = await loadMigrations(`${PACKAGE_ROOT}migrations`, 'tenant');
  if (ctx.dryRun) {
    const status = await poolStatus(ctx.sql, migrations);
    const change = status.target - status.ready;
    return { ok: true, dryRun: true, summary: { target: status.target, ready: status.ready, wouldBuild: Math.max(0, change), wouldDrop: Math.max(0, -change) }, items: [], problems: [] };
  }
  const { target, created, dropped } = await refillPool(ctx.sql, migrations);
  return {
    ok: true,
    dryRun: false,
    summary: { target, built: created.length, dropped: dropped.length },
    items: [...created.map((schema) => ({ built: schema })), ...dropped.map((schema) => ({ dropped: schema }))],
    problems: [],
  };
}
