import type { Io } from '../context.js';
import { usageError } from '../errors.js';
import { emit } from '../output/emit.js';
import { placeNewTenant, validatePlacementNode } from '../citus/placement.js';
import { requireServerFor } from '../tenancy/server-minimum.js';
import { migrationsDir } from './migrate-files.js';
import { checkNewHandleEarly } from './tenant-ref.js';
import { actorOf, completeFields } from './tenant-prompts.js';
import { renderCreatedAny } from './tenant-render.js';
import { waitNotice, withProfile, type GlobalOptions } from './shared.js';

export type CreateOptions = GlobalOptions & Record<string, unknown> & { actor?: string; migrationsDir?: string; node?: string; wait: boolean };

/**
 * `tenant create`, loaded when it runs (commands/tenant.ts registers its flags): the
 * profile's create, then, on Citus, the new tenant's worker. `fieldFlags`: every
 * provisioning flag the command registered, for completeFields.
 */
export async function runCreate(io: Io, handle: string | undefined, options: CreateOptions, fieldFlags: readonly string[]): Promise<void> {
  if (handle !== undefined) checkNewHandleEarly(io, options, handle, 'slug');
  await withProfile(io, options, async (sql, profile) => {
    // Before any prompt: on a server too old for the profile's migrations the schema would fail to build.
    await requireServerFor(sql, profile);
    // Citus places tenant schemas; a pooled profile's tenants are rows in one schema.
    const placed = profile.mode === 'schema-per-tenant';
    if (placed) await validatePlacementNode(sql, options.node);
    else if (options.node) throw usageError(`--node places a tenant schema on a Citus worker; the ${profile.name} profile keeps every tenant in one schema.`);
    const values = await completeFields(io, sql, profile, handle, options, fieldFlags);
    const created = await profile.lifecycle.create(sql, profile, values, { migrationsDir: migrationsDir(io, options.migrationsDir), actor: actorOf(io, options.actor), failpoints: io.env.TENANTCTL_FAILPOINT, noWait: !options.wait, onWait: waitNotice(io) });
    // Citus: put the new tenant on the chosen worker (null on plain PostgreSQL).
    const placement = placed ? await placeNewTenant(sql, profile.lifecycle.targets, created.slug, options.node, io.env.TENANTCTL_FAILPOINT) : null;
    emit(io, options, placement ? { ...created, placement } : created, (c) => renderCreatedAny(c) + (placement ? `\nnode      ${placement.node} (${placement.reason})` : ''));
  });
}
