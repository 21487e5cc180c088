import type { TenantSource } from '../migrate/state.js';
import type { Pool, Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { TenantctlError } from '../errors.js';
import { requireTenant } from '../tenants/find.js';
import type { RegistrySpec } from '../tenancy/profile.js';
import { withTenantSessionLock } from '../tenancy/locks.js';
import { requireCitus, workerAt } from './detect.js';
import { moveSchema, tenantPlacements } from './placement.js';

/** Why a move cannot run online, or null when it can. */
export async function onlineMoveBlocker(sql: Sql, schema: string, nodes: readonly string[]): Promise<string | null> {
  const levels = await query<{ node: string; wal_level: string }>(sql, 'citus/wal-level');
  const notLogical = levels.filter((l) => nodes.includes(l.node) && l.wal_level !== 'logical');
  if (notLogical.length) return `wal_level is not 'logical' on ${notLogical.map((l) => `${l.node} (${l.wal_level})`).join(', ')}`;
  const blockers = await query<{ kind: string; object: string }>(sql, 'citus/schema-blockers', [schema]);
  const noIdentity = blockers.filter((b) => b.kind === 'no_replica_identity').map((b) => b.object);
  if (noIdentity.length) return `no primary key or replica identity on ${noIdentity.join(', ')}`;
  return null;
}

/** What `tenant move` did. */
export interface MoveReport {
  slug: string;
  schema: string;
  from: string;
  to: string;
  mode: 'online' | 'block-writes' | 'none';
  /** Why the move blocked writes when online was asked for (auto), or why nothing moved. */
  reason: string | null;
  bytes: number;
  durationMs: number;
}

/** How a move waits for the tenant's lock (see withTenantSessionLock). */
export interface MoveLockOptions {
  /** Fail at once (exit 75) when another command holds the tenant. */
  noWait?: boolean;
  onWait?: (message: string) => void;
}

/**
 * Move a tenant's whole distributed schema to another worker. `auto` moves online
 * (logical replication, writes continue) when wal_level and replica identities allow,
 * and otherwise blocks writes for the copy and says why; `block-writes` always blocks.
 */
export async function moveTenant(sql: Pool, registry: RegistrySpec, targets: TenantSource, resolved: { id: string; handle: string }, to: string, mode: 'auto' | 'block-writes', lock: MoveLockOptions = {}): Promise<MoveReport> {
  const slug = resolved.handle;
  const info = await requireCitus(sql, 'tenant move');
  const target = workerAt(info, to, '--to');
  const found = await requireTenant(sql, registry, resolved);
  // The tenant's own lock for the whole move, on its own session: citus_schema_move cannot run
  // inside withTenantLock's transaction, and without the lock an erase started mid-move waits on
  // the move's table locks while the move waits on its replication (Citus sees no deadlock).
  return withTenantSessionLock(sql, { id: found.id, slug, schema: found.schema }, { what: 'tenant move', ...lock }, async () => {
    // Read again under the lock: an erase or another move may have run while this one waited.
    const tenant = await requireTenant(sql, registry, resolved);
    const placement = (await tenantPlacements(sql, targets)).find((p) => p.id === tenant.id);
    if (!placement?.node) {
      throw new TenantctlError('NOT_DISTRIBUTED', `Tenant "${slug}" (schema ${tenant.schema}) is not a distributed schema, so it has no worker to move from.`, {
        hint: 'Convert it first with `tenantctl citus distribute`.',
        details: { slug, schema: tenant.schema },
      });
    }
    const base = { slug, schema: tenant.schema, from: placement.node, to: target.address, bytes: placement.bytes };
    if (placement.node === target.address) return { ...base, mode: 'none' as const, reason: `already on ${target.address}`, durationMs: 0 };
    const reason = mode === 'block-writes' ? 'asked for with --mode block-writes' : await onlineMoveBlocker(sql, tenant.schema, [placement.node, target.address]);
    const started = performance.now();
    await moveSchema(sql, tenant.schema, target, reason ? 'block-writes' : 'auto');
    return { ...base, mode: reason ? ('block-writes' as const) : ('online' as const), reason, durationMs: Math.round(performance.now() - started) };
  });
}
