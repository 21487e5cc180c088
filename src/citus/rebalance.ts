import type { TenantSource } from '../migrate/state.js';
import type { Pool, Sql } from '../db/connect.js';
import { describeHolder, withSessionLock } from '../db/session-lock.js';
import { withTenantSessionLock } from '../tenancy/locks.js';
import { TenantctlError } from '../errors.js';
import { requireCitus, workerAt } from './detect.js';
import { requireEveryWorker } from './node-states.js';
import { onlineMoveBlocker } from './move.js';
import { moveSchema, tenantPlacements } from './placement.js';
import { planRebalance, type PlannedMove, type Placed, type RebalancePlan } from './rebalance-plan.js';

/** The rebalance plan for the cluster as it is now. */
export async function currentRebalancePlan(sql: Sql, targets: TenantSource, tolerance = 0.2): Promise<RebalancePlan> {
  const info = await requireCitus(sql, 'tenant rebalance');
  // A worker that does not answer reports no bytes (it would look empty and draw moves) and cannot take a move.
  await requireEveryWorker(sql, info, 'tenant rebalance', 'Nothing was planned or moved.');
  const placed: Placed[] = (await tenantPlacements(sql, targets)).flatMap((p) => (p.node ? [{ id: p.id, slug: p.slug, schema: p.schema, node: p.node, bytes: p.bytes }] : []));
  return planRebalance(info.workers.map((w) => w.address), placed, tolerance);
}

/** One executed move of a rebalance. */
export interface DoneMove extends PlannedMove {
  mode: 'online' | 'block-writes';
  reason: string | null;
  durationMs: number;
}

/** What `tenant rebalance` did. */
export interface RebalanceReport {
  plan: RebalancePlan;
  done: DoneMove[];
}

const LOCK = 'tenantctl:citus:rebalance';

/**
 * Plan from the placements as they are, then run the moves one at a time. Resumable: an
 * interrupted run leaves each tenant whole on one node (citus_schema_move is atomic per
 * schema), and the next run plans again from where the tenants now are, so it only does
 * the moves still needed. One rebalance at a time (session advisory lock).
 * @param onMove called before each move (progress)
 */
export async function rebalance(sql: Pool, targets: TenantSource, options: { tolerance?: number; onMove?: (index: number, total: number, move: PlannedMove) => void; onWait?: (message: string) => void } = {}): Promise<RebalanceReport> {
  return withSessionLock(sql, LOCK, (holder) => {
    throw new TenantctlError('REBALANCE_RUNNING', `Another tenant rebalance is running${describeHolder(holder)}.`, { hint: 'Wait for it to finish; a rerun afterwards plans only what is still needed.', exitCode: 75 });
  }, async () => {
    const info = await requireCitus(sql, 'tenant rebalance');
    const plan = await currentRebalancePlan(sql, targets, options.tolerance);
    const done: DoneMove[] = [];
    for (const [index, move] of plan.moves.entries()) {
      options.onMove?.(index, plan.moves.length, move);
      // Each move holds the tenant's lock, as `tenant move` does: an erase, import or export of
      // that tenant waits for the move (and the move for them) instead of hanging with it.
      const moved = await withTenantSessionLock(sql, move, { what: 'tenant rebalance', onWait: options.onWait }, async () => {
        // Under the lock: the tenant may have been erased or moved while this run waited for it.
        const now = (await tenantPlacements(sql, targets)).find((p) => p.id === move.id);
        if (now?.node !== move.from) return undefined;
        const reason = await onlineMoveBlocker(sql, move.schema, [move.from, move.to]);
        const started = performance.now();
        await moveSchema(sql, move.schema, workerAt(info, move.to, 'rebalance target'), reason ? 'block-writes' : 'auto');
        return { ...move, mode: reason ? ('block-writes' as const) : ('online' as const), reason, durationMs: Math.round(performance.now() - started) };
      });
      if (moved) done.push(moved);
    }
    return { plan, done };
  });
}
