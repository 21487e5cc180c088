import type { Pool, Sql } from './connect.js';
import { reserveConnection } from './reserve.js';
import { query } from './queries.js';
import { noteSessionLock } from './session-locks-held.js';

/** Who holds a lock, as far as the server can tell. */
export interface LockHolder {
  pid: number;
  applicationName: string | null;
}

/**
 * Run `work` holding a session-level advisory lock (hashtextextended(name, 0)) on a reserved
 * connection: it spans every transaction of the run and dies with the process if the
 * process is killed. When another session holds it, `onBusy` decides: throw to give up at
 * once, or return to queue behind the holder. `work` is handed that connection for a few
 * statements of its own, outside any transaction (the unlock follows on it), so that they need
 * no second connection, a new server process, opened for them.
 */
export async function withSessionLock<T>(sql: Pool, name: string, onBusy: (holder: LockHolder | undefined) => void, work: (lockConnection: Sql) => Promise<T>, options: { shared?: boolean } = {}): Promise<T> {
  const conn = await reserveConnection(sql);
  const shared = options.shared ?? false;
  const released = noteSessionLock(sql);
  try {
    const [tried] = (await conn`select case when ${shared}::boolean then pg_try_advisory_lock_shared(hashtextextended(${name}, 0)) else pg_try_advisory_lock(hashtextextended(${name}, 0)) end as got`) as unknown as [{ got: boolean }];
    if (!tried.got) {
      const [holder] = await query<{ pid: number; application_name: string | null }>(conn, 'db/lock-holder', [name]);
      onBusy(holder ? { pid: holder.pid, applicationName: holder.application_name } : undefined);
      await conn`select case when ${shared}::boolean then pg_advisory_lock_shared(hashtextextended(${name}, 0)) else pg_advisory_lock(hashtextextended(${name}, 0)) end is not null as got`;
    }
    try {
      return await work(conn);
    } finally {
      await conn`select case when ${shared}::boolean then pg_advisory_unlock_shared(hashtextextended(${name}, 0)) else pg_advisory_unlock(hashtextextended(${name}, 0)) end`.then(released, () => undefined);
    }
  } finally {
    conn.release();
  }
}

/** "server pid 123, tenantctl" — for messages about a lock holder. */
export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return '';
  return ` (server pid ${holder.pid}${holder.applicationName ? `, ${holder.applicationName}` : ''})`;
}
