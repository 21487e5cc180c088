import { loadMigrations } from '../migrate/files.js';
import { orphanSpares, poolStatus, refillPool } from '../tenants/pool.js';
import type { TaskContext, TaskResult } from './task.js';

/**
 * The pool task: bring the warm pool of spare tenant schemas back to the size last asked for by
 * `tenant pool fill --size` (refilled, or the surplus dropped; nothing when never asked), at the
 * tenant migrations `tenant create` runs: the same --migrations-dir / TENANTCTL_MIGRATIONS_DIR.
 * (Spares built from other files would never be handed out: a create takes only spares at its
 * own files' versions and checksums.) A profile without tenant schemas has no pool.
 */
export async function runPool(ctx: TaskContext): Promise<Omit<TaskResult, 'task' | 'durationMs'>> {
  if (!ctx.spareMigrations) return { ok: true, dryRun: ctx.dryRun, summary: { target: 0, note: 'no tenant schemas in this profile: no pool' }, items: [], problems: [] };
  const migrations = await loadMigrations(ctx.spareMigrations.dir, 'tenant', ctx.spareMigrations.folder);
  if (ctx.dryRun) {
    const status = await poolStatus(ctx.sql, migrations);
    const orphans = await orphanSpares(ctx.sql, ctx.spareMigrations.registry);
    const change = status.target - status.ready;
    return { ok: true, dryRun: true, summary: { target: status.target, ready: status.ready, wouldBuild: Math.max(0, change), wouldDrop: Math.max(0, -change) + orphans.length }, items: orphans.map((schema) => ({ wouldDrop: schema, why: 'no pool row' })), problems: [] };
  }
  const { target, created, dropped } = await refillPool(ctx.sql, migrations, ctx.spareMigrations.registry);
  return {
    ok: true,
    dryRun: false,
    summary: { target, built: created.length, dropped: dropped.length },
    items: [...created.map((schema) => ({ built: schema })), ...dropped.map((schema) => ({ dropped: schema }))],
    problems: [],
  };
}
