import { loadMigrations } from '../migrate/files.js';
import { orphanSpares, otherRolesSpares, poolStatus, refillPool, staleSpares } from '../tenants/pool.js';
import type { TaskContext, TaskResult } from './task.js';

const total = (roles: Record<string, number>): number => Object.values(roles).reduce((sum, n) => sum + n, 0);

/** Another role's spares, which only that role's creates take (a tenant's schema is its creator's). */
const leftAlone = (roles: Record<string, number>) =>
  Object.entries(roles).map(([owner, spares]) => ({ leftAlone: spares, owner, why: 'spares of another role: tenant create run as this role passes them over' }));

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
    const stale = staleSpares(status);
    const items = [...orphans.map((schema) => ({ wouldDrop: schema, why: 'no pool row' })), ...stale.map((schema) => ({ wouldDrop: schema, why: 'built under other default privileges' }))];
    const others = otherRolesSpares(status);
    return { ok: true, dryRun: true, summary: { target: status.target, ready: status.ready, wouldBuild: Math.max(0, change), wouldDrop: Math.max(0, -change) + items.length, otherRolesSpares: total(others) }, items: [...items, ...leftAlone(others)], problems: [] };
  }
  const { target, created, dropped, otherRoles } = await refillPool(ctx.sql, migrations, ctx.spareMigrations.registry);
  return {
    ok: true,
    dryRun: false,
    // Other roles' spares are theirs: counted here so that a refill run as the wrong role shows.
    summary: { target, built: created.length, dropped: dropped.length, otherRolesSpares: total(otherRoles) },
    items: [...created.map((schema) => ({ built: schema })), ...dropped.map((schema) => ({ dropped: schema })), ...leftAlone(otherRoles)],
    problems: [],
  };
}
