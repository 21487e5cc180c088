import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';

/** How long a monitoring statement may wait for a lock before giving up. @default '2s' */
export const DEFAULT_LOCK_TIMEOUT = '2s';

/**
 * Prepare the (single) connection a monitor command uses: a short lock_timeout so that a
 * monitor never queues behind a migration's ACCESS EXCLUSIVE lock and stalls the queries
 * queued behind it. Commands open a pool of one connection so the setting applies to all.
 * @param lockTimeout a PostgreSQL interval @default '2s'
 * @returns whether this session may call pg_stat_have_stats (PostgreSQL 15+, superusers unless granted)
 */
export async function prepareSession(sql: Sql, lockTimeout = DEFAULT_LOCK_TIMEOUT): Promise<{ haveStatsCallable: boolean }> {
  const [row] = await query<{ have_stats_callable: boolean }>(sql, 'monitor/session-settings', [lockTimeout]);
  return { haveStatsCallable: row!.have_stats_callable };
}

/** Numbers from int8/numeric columns (strings in postgres.js) as JavaScript numbers; null stays null. */
export function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** The PostgreSQL text[] parameter for an optional schema filter (empty array = no filter). */
export function schemaFilter(schemas: readonly string[] | undefined): string[] {
  return [...(schemas ?? [])];
}
