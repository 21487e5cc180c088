import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { num } from './session.js';
import { hiddenSessionsNote, statsVisibility, type StatsVisibility } from './visibility.js';

/** Client connections of one (database, role, application, state). */
export interface ConnectionGroup {
  database: string;
  role: string;
  application: string;
  state: string;
  connections: number;
  waitingOnLock: number;
  longestInStateMs: number | null;
}

/** The settings row of connection-limits.sql. */
export interface ConnectionLimits {
  maxConnections: number;
  /** superuser_reserved_connections: slots only superusers may use. */
  superuserReserved: number;
  /** reserved_connections (PostgreSQL 16+, else 0): slots for roles with pg_use_reserved_connections (and superusers). */
  roleReserved: number;
  /** Client connections, of every role. */
  used: number;
}

export interface ConnectionUsage {
  /** Slots an ordinary role may use: max_connections less both reserves. */
  available: number;
  /** used / available, as a percentage: 100 once ordinary roles are locked out (superusers may hold more). */
  usedPct: number;
}

/**
 * How full the server is for an ordinary role (the application's): a new session of one is
 * refused once the client connections reach max_connections less the reserved slots, so the
 * share is of those, not of max_connections (20 slots with 13 reserved and 8 in use is full,
 * not 40%). Rounded down, and held at 100: the sessions past it are superusers' (or those of
 * roles allowed the reserve), which ordinary roles cannot take over.
 */
export function connectionUsage(l: ConnectionLimits): ConnectionUsage {
  const available = Math.max(0, l.maxConnections - l.superuserReserved - l.roleReserved);
  const usedPct = available === 0 ? 100 : Math.min(100, Math.floor((10000 * l.used) / available) / 100);
  return { available, usedPct };
}

/** The reserved slots in words, e.g. "3 reserved for superusers, 10 for roles with pg_use_reserved_connections". */
export function reservesText(l: ConnectionLimits): string {
  return `${l.superuserReserved} reserved for superusers${l.roleReserved > 0 ? `, ${l.roleReserved} for roles with pg_use_reserved_connections` : ''}`;
}

export interface ConnectionReport extends ConnectionLimits, ConnectionUsage {
  byState: Record<string, number>;
  groups: ConnectionGroup[];
  /** What this role sees of other roles' sessions (hidden ones count, as state "hidden"). */
  visibility: StatsVisibility;
  /** Why some sessions show no state, and the GRANT that fixes it; null when all are seen. */
  note: string | null;
}

/** Client connections by state and application, against the connections ordinary roles may open. */
export async function connectionReport(sql: Sql): Promise<ConnectionReport> {
  const [row] = await query<{ max_connections: number; superuser_reserved: number; role_reserved: number; used: number }>(sql, 'monitor/connection-limits');
  const limits: ConnectionLimits = { maxConnections: row!.max_connections, superuserReserved: row!.superuser_reserved, roleReserved: row!.role_reserved, used: row!.used };
  const groups = (await query(sql, 'monitor/connections')).map((r) => ({
    database: String(r.database),
    role: String(r.role),
    application: String(r.application),
    state: String(r.state),
    connections: num(r.connections) ?? 0,
    waitingOnLock: num(r.waiting_on_lock) ?? 0,
    longestInStateMs: num(r.longest_in_state_ms),
  }));
  const byState: Record<string, number> = {};
  for (const g of groups) byState[g.state] = (byState[g.state] ?? 0) + g.connections;
  const visibility = await statsVisibility(sql);
  return { ...limits, ...connectionUsage(limits), byState, groups, visibility, note: hiddenSessionsNote(visibility) };
}

/** A session that is doing something (or sitting idle inside a transaction). */
export interface SessionActivity {
  pid: number;
  database: string;
  role: string;
  application: string;
  client: string | null;
  state: string;
  waitEventType: string | null;
  waitEvent: string | null;
  /** How long the query has run (active) or the session has idled in its transaction. */
  durationMs: number | null;
  xactMs: number | null;
  blockedBy: number[];
  query: string;
}

/** One blocked session and one session it waits for. */
export interface BlockingPair {
  blockedPid: number;
  blockedRole: string;
  waitingMs: number | null;
  blockedQuery: string;
  blockingPid: number;
  blockingRole: string;
  blockingState: string;
  blockingXactMs: number | null;
  blockingQuery: string;
}

export interface ActivityOptions {
  /** Hide sessions busy for less than this (blocked ones always show). @default 0 */
  minDurationMs?: number;
  /** @default 200 */
  queryLength?: number;
}

export interface ActivityReport {
  sessions: SessionActivity[];
  blocking: BlockingPair[];
  /** Active sessions among those shown. */
  longRunning: number;
  idleInTransaction: number;
  /** What this role sees: sessions hidden from it are missing from `sessions` and `blocking`. */
  visibility: StatsVisibility;
  /** Why sessions are missing, and the GRANT that fixes it; null when all are seen. */
  note: string | null;
}

/** Non-idle sessions (long-running queries, idle in transaction) and blocking/blocked pairs. */
export async function activityReport(sql: Sql, options: ActivityOptions = {}): Promise<ActivityReport> {
  const length = options.queryLength ?? 200;
  const sessions = (await query(sql, 'monitor/activity', [options.minDurationMs ?? 0, length])).map((r) => ({
    pid: Number(r.pid),
    database: String(r.database),
    role: String(r.role),
    application: String(r.application),
    client: (r.client as string | null) ?? null,
    state: String(r.state),
    waitEventType: (r.wait_event_type as string | null) ?? null,
    waitEvent: (r.wait_event as string | null) ?? null,
    durationMs: num(r.duration_ms),
    xactMs: num(r.xact_ms),
    blockedBy: (r.blocked_by as number[]).map(Number),
    query: String(r.query ?? ''),
  }));
  const blocking = (await query(sql, 'monitor/blocking-pairs', [length])).map((r) => ({
    blockedPid: Number(r.blocked_pid),
    blockedRole: String(r.blocked_role),
    waitingMs: num(r.waiting_ms),
    blockedQuery: String(r.blocked_query ?? ''),
    blockingPid: Number(r.blocking_pid),
    blockingRole: String(r.blocking_role),
    blockingState: String(r.blocking_state),
    blockingXactMs: num(r.blocking_xact_ms),
    blockingQuery: String(r.blocking_query ?? ''),
  }));
  const visibility = await statsVisibility(sql);
  return {
    sessions,
    blocking,
    visibility,
    note: hiddenSessionsNote(visibility),
    longRunning: sessions.filter((s) => s.state === 'active').length,
    idleInTransaction: sessions.filter((s) => s.state.startsWith('idle in transaction')).length,
  };
}

/** Standbys and their replay lag in bytes (empty on a standby or without replicas). */
export async function replicationLag(sql: Sql): Promise<{ standby: string; client: string; state: string; lagBytes: number | null }[]> {
  return (await query(sql, 'monitor/replication-lag')).map((r) => ({ standby: String(r.standby), client: String(r.client), state: String(r.state), lagBytes: num(r.lag_bytes) }));
}
