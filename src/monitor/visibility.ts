import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';

/** What pg_stat_activity and pg_stat_statements show this role of other roles' sessions. */
export interface StatsVisibility {
  role: string;
  /** Superuser or a member of pg_read_all_stats (pg_monitor): every session's state and query. */
  seesAll: boolean;
  /** Sessions of other roles whose state, timings and query this role may not read. */
  hidden: number;
}

/** Read whether this role sees every session (see stats-visibility.sql). */
export async function statsVisibility(sql: Sql): Promise<StatsVisibility> {
  const [row] = await query<{ role: string; sees_all: boolean; hidden: number }>(sql, 'monitor/stats-visibility');
  return { role: row!.role, seesAll: row!.sees_all, hidden: row!.hidden };
}

/** The statement that lets `role` read every session's statistics. */
export function grantHint(role: string): string {
  return `GRANT pg_monitor TO "${role.replace(/"/g, '""')}"`;
}

/** "3 session(s) of other roles are hidden from role app …", or null when nothing is hidden. */
export function hiddenSessionsNote(v: StatsVisibility): string | null {
  if (v.seesAll || v.hidden === 0) return null;
  return `${v.hidden} session(s) of other roles are hidden from role "${v.role}": it is neither a superuser nor a member of pg_read_all_stats, so their state, duration and query cannot be read; run ${grantHint(v.role)}`;
}
