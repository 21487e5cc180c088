import { reserveConnection, type Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { EXIT, TenantctlError } from '../errors.js';

/**
 * The advisory lock key of `maintain` (hashtextextended of this name, seed 0): one run per
 * database at a time. Exported so that operators (and tests) can hold it by hand:
 * `select pg_advisory_lock(hashtextextended('tenantctl.maintain', 0))`.
 */
export const MAINTAIN_LOCK = 'tenantctl.maintain';

/**
 * Run `work` holding the maintain lock, taken with pg_try_advisory_lock on a reserved
 * connection: session-level, so it spans every task's transactions and dies with the
 * process if cron kills it. An overlapping run fails at once with exit code 75 (EXIT.locked)
 * instead of queueing behind the first: cron starts another one tomorrow anyway.
 */
export async function withMaintainLock<T>(sql: Sql, work: () => Promise<T>): Promise<T> {
  const reserved = await reserveConnection(sql);
  const conn = reserved as unknown as Sql;
  try {
    const [row] = (await conn`select pg_try_advisory_lock(hashtextextended(${MAINTAIN_LOCK}, 0)) as got`) as unknown as [{ got: boolean }];
    if (!row.got) {
      const [holder] = await query<{ pid: number; application_name: string | null }>(conn, 'maintain/lock-holder', [MAINTAIN_LOCK]);
      throw new TenantctlError('MAINTAIN_LOCKED', `Another tenantctl maintain run holds the maintenance lock${holder ? ` (server pid ${holder.pid}${holder.application_name ? `, ${holder.application_name}` : ''})` : ''}; this run did nothing.`, {
        hint: 'Let it finish; cron will start the next run on schedule. If no run is alive, the lock was released with its connection.',
        details: { lock: MAINTAIN_LOCK, holderPid: holder?.pid ?? null },
        exitCode: EXIT.locked,
      });
    }
    try {
      return await work();
    } finally {
      await conn`select pg_advisory_unlock(hashtextextended(${MAINTAIN_LOCK}, 0))`.catch(() => undefined);
    }
  } finally {
    reserved.release();
  }
}
