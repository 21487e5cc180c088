import { setTimeout as delay } from 'node:timers/promises';
import type { Sql } from '../../src/db/connect.js';

export type Connection = Awaited<ReturnType<Sql['reserve']>>;

/** How the contending statement ended, and whether it had to wait for a lock first. */
export interface RaceOutcome {
  blocked: boolean;
  error?: unknown;
}

/**
 * Two sessions race for one row: `hold` runs on the first session inside a transaction
 * that stays open; `contend` then starts on the second. Once the second is waiting for a
 * lock (or has already finished, which means it did not wait), the first commits, and the
 * second's result is reported. No timing assumptions: it polls pg_stat_activity.
 */
export async function racing(sql: Sql, hold: (first: Connection) => Promise<unknown>, contend: (second: Connection) => PromiseLike<unknown>): Promise<RaceOutcome> {
  const [first, second] = [await sql.reserve(), await sql.reserve()];
  try {
    const [backend] = await second<{ pid: number }[]>`select pg_backend_pid() as pid`;
    const pid = backend!.pid;
    await first`begin`;
    await hold(first);
    let settled = false;
    const result = Promise.resolve(contend(second)).then(
      () => ({}),
      (error: unknown) => ({ error }),
    );
    void result.finally(() => (settled = true));
    let blocked = false;
    while (!settled && !blocked) {
      const [row] = await sql<{ wait: string | null }[]>`select wait_event_type as wait from pg_stat_activity where pid = ${pid}`;
      blocked = row?.wait === 'Lock';
      if (!blocked) await delay(10);
    }
    await first`commit`;
    return { blocked, ...(await result) };
  } finally {
    await first`rollback`.catch(() => undefined);
    first.release();
    second.release();
  }
}
