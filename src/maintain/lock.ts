import type { Pool } from '../db/connect.js';
import { describeHolder, withSessionLock } from '../db/session-lock.js';
import { EXIT, TenantctlError } from '../errors.js';

/**
 * The advisory lock key of `maintain` (hashtextextended of this name, seed 0): one run per
 * database at a time. Exported so that operators (and tests) can hold it by hand:
 * `select pg_advisory_lock(hashtextextended('tenantctl.maintain', 0))`.
 */
export const MAINTAIN_LOCK = 'tenantctl.maintain';

/**
 * Run `work` holding the maintain lock. An overlapping run fails at once with exit code 75
 * (EXIT.locked) instead of queueing behind the first: cron starts another one tomorrow anyway.
 */
export async function withMaintainLock<T>(sql: Pool, work: () => Promise<T>): Promise<T> {
  return withSessionLock(
    sql,
    MAINTAIN_LOCK,
    (holder) => {
      throw new TenantctlError('MAINTAIN_LOCKED', `Another tenantctl maintain run holds the maintenance lock${describeHolder(holder)}; this run did nothing.`, {
        hint: 'Let it finish; cron will start the next run on schedule. If no run is alive, the lock was released with its connection.',
        details: { lock: MAINTAIN_LOCK, holderPid: holder?.pid ?? null },
        exitCode: EXIT.locked,
      });
    },
    work,
  );
}
