import type { TenantSource } from '../migrate/state.js';
import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { NODE_SKEW_CHECK, NODES_DOWN_CHECK } from '../citus/skew-check.js';
import { formatDuration } from '../output/format.js';
import { databaseHitRatio } from './cache.js';
import { describeGroups, groupAcrossSchemas } from './group.js';
import { activityReport, connectionReport, replicationLag, reservesText } from './sessions.js';
import { sequenceReport } from './sequences.js';
import { showThreshold, type Unit } from './thresholds.js';
import { databaseAges } from './vacuum.js';
import { grantHint, type StatsVisibility } from './visibility.js';

/** What one check measured: a value in its unit (null: nothing to judge) and how to say it. */
export interface Measurement {
  value: number | null;
  message: string;
  /**
   * Why the value may miss something (sessions hidden from this role): a result that would
   * be OK is UNKNOWN instead, since the missing part could be the problem.
   */
  incomplete?: string;
}

/** A health check of `monitor check`, with its documented default thresholds. */
export interface CheckDefinition {
  name: string;
  unit: Unit;
  /** false for ratios (cache hit) where a value at or below the threshold is the problem. */
  higherIsWorse: boolean;
  warning: string;
  critical: string;
  description: string;
  /**
   * Reads pg_stat_activity: runs before any check is started on a connection of its own, so
   * that this run's other sessions are neither counted nor reported as running queries.
   */
  readsSessions?: true;
  /**
   * A catalog-wide read (every table or constraint of every tenant schema): runs on a
   * connection of its own beside the other checks, so that `monitor check` takes about as
   * long as its slowest check rather than the sum of them.
   */
  alongside?: true;
  measure(ctx: CheckContext): Promise<Measurement>;
}

/** Shared, lazily read facts so that several checks cost one query. */
export class CheckContext {
  private activity?: ReturnType<typeof activityReport>;
  private slotRows?: Promise<ReplicationSlot[]>;
  /** The profile's tenant schemas (none for pooled), for checks that look at tenants. */
  constructor(readonly sql: Sql, readonly targets: TenantSource) {}
  sessions(): ReturnType<typeof activityReport> {
    this.activity ??= activityReport(this.sql, { queryLength: 80 });
    return this.activity;
  }
  slots(): Promise<ReplicationSlot[]> {
    this.slotRows ??= query<ReplicationSlot>(this.sql, 'monitor/replication-slots');
    return this.slotRows;
  }
}

interface ReplicationSlot {
  slot: string;
  type: string;
  database: string | null;
  active: boolean;
  retained_bytes: string | null;
}

/** Why a check of sessions cannot be sure, when other roles' sessions are hidden from this one. */
function hiddenSessions(v: StatsVisibility): { incomplete?: string } {
  if (v.seesAll || v.hidden === 0) return {};
  return { incomplete: `${v.hidden} session(s) of other roles are hidden from role "${v.role}" (it is neither a superuser nor a member of pg_read_all_stats); run ${grantHint(v.role)}` };
}

/** Small tables are left alone by autovacuum's thresholds; below this size "never vacuumed" is normal. */
const NEVER_MAINTAINED_MIN_ROWS = 1000;

// Never rounded up: a query that has run 4 min 39 s is not reported as "5 min".
const secs = formatDuration;
const bytes = (b: number): string => showThreshold(Math.round(b), 'bytes');

/** Every check, in the order they run and print. Defaults follow check_postgres where it has one. */
export const CHECKS: readonly CheckDefinition[] = [
  {
    name: 'connections', unit: 'percent', higherIsWorse: true, warning: '80%', critical: '95%',
    readsSessions: true,
    description: 'client connections as a share of those ordinary roles may open (max_connections less the reserved slots)',
    async measure({ sql }) {
      const r = await connectionReport(sql);
      // Sessions hidden from this role are counted all the same: the figure is complete.
      return { value: r.usedPct, message: `${r.usedPct}% of the connections ordinary roles may open in use (${r.used} in use; ${r.available} of max_connections ${r.maxConnections} open to them, ${reservesText(r)})` };
    },
  },
  {
    name: 'long-queries', unit: 'ms', higherIsWorse: true, warning: '5min', critical: '30min',
    readsSessions: true,
    description: 'age of the longest-running active query',
    async measure(ctx) {
      const report = await ctx.sessions();
      const active = report.sessions.filter((s) => s.state === 'active');
      const longest = active.reduce<(typeof active)[number] | undefined>((a, s) => ((s.durationMs ?? 0) > (a?.durationMs ?? -1) ? s : a), undefined);
      if (!longest) return { value: 0, message: 'no active queries', ...hiddenSessions(report.visibility) };
      return { value: longest.durationMs ?? 0, message: `longest query has run ${secs(longest.durationMs ?? 0)} (pid ${longest.pid}, ${longest.role}@${longest.database}: ${longest.query})`, ...hiddenSessions(report.visibility) };
    },
  },
  {
    name: 'idle-in-transaction', unit: 'ms', higherIsWorse: true, warning: '5min', critical: '30min',
    readsSessions: true,
    description: 'longest time a session has sat idle inside an open transaction',
    async measure(ctx) {
      const report = await ctx.sessions();
      const idle = report.sessions.filter((s) => s.state.startsWith('idle in transaction'));
      const longest = idle.reduce<(typeof idle)[number] | undefined>((a, s) => ((s.durationMs ?? 0) > (a?.durationMs ?? -1) ? s : a), undefined);
      if (!longest) return { value: 0, message: 'no sessions idle in transaction', ...hiddenSessions(report.visibility) };
      return { value: longest.durationMs ?? 0, message: `${idle.length} session(s) idle in transaction, longest ${secs(longest.durationMs ?? 0)} (pid ${longest.pid}, ${longest.role}@${longest.database}, application "${longest.application}")`, ...hiddenSessions(report.visibility) };
    },
  },
  {
    name: 'blocked', unit: 'count', higherIsWorse: true, warning: '3', critical: '10',
    readsSessions: true,
    description: 'sessions waiting for a lock another session holds',
    async measure(ctx) {
      const { blocking, visibility } = await ctx.sessions();
      const blocked = new Set(blocking.map((p) => p.blockedPid));
      if (!blocked.size) return { value: 0, message: 'no blocked sessions', ...hiddenSessions(visibility) };
      const longest = Math.max(...blocking.map((p) => p.waitingMs ?? 0));
      const blockers = [...new Set(blocking.map((p) => p.blockingPid))];
      return { value: blocked.size, message: `${blocked.size} session(s) blocked, longest wait ${secs(longest)}, blocked by pid ${blockers.join(', ')}`, ...hiddenSessions(visibility) };
    },
  },
  {
    name: 'wraparound', unit: 'percent', higherIsWorse: true, warning: '50%', critical: '75%',
    description: 'transaction-id age of the oldest database as a share of 2^31 (writes stop at 100%)',
    async measure({ sql }) {
      const [oldest] = await databaseAges(sql);
      if (!oldest) return { value: null, message: 'no databases' };
      return { value: oldest.wraparoundPct, message: `database "${oldest.database}" is at ${oldest.wraparoundPct}% of transaction-id wraparound (age ${oldest.xidAge.toLocaleString('en-US')})` };
    },
  },
  {
    name: 'sequences', unit: 'percent', higherIsWorse: true, warning: '85%', critical: '95%',
    description: 'the most used sequence, as a share of the range its type (or its column) allows',
    async measure({ sql }) {
      const { sequences, total, unreadable } = await sequenceReport(sql, { limit: 1 });
      const top = sequences[0];
      // Sequences this role may not read are no "unused" ones: what it cannot see may be the fullest.
      const incomplete = unreadable ? `${unreadable} of ${total} sequence(s) cannot be read by this role (GRANT SELECT ON ALL SEQUENCES IN SCHEMA <schema> TO <role>, or pg_read_all_data)` : undefined;
      if (!top || top.usedPct === null) return { value: 0, message: `${total} sequence(s), none used yet`, ...(incomplete ? { incomplete } : {}) };
      if (top.cycles) return { value: 0, message: `${total} sequence(s), each of them CYCLE (it starts over at its limit, never runs out)`, ...(incomplete ? { incomplete } : {}) };
      return { value: top.usedPct, message: `sequence ${top.schema}.${top.sequence} is ${top.usedPct}% used (last value ${top.lastValue} of ${top.limit}${top.limitFrom === 'column' ? `, limited by column ${top.ownedBy}` : ''})`, ...(incomplete ? { incomplete } : {}) };
    },
  },
  {
    name: 'cache-hit', unit: 'percent', higherIsWorse: false, warning: '90%', critical: '80%',
    description: 'buffer cache hit ratio of the database (judged once 10,000 blocks were read)',
    async measure({ sql }) {
      const db = await databaseHitRatio(sql);
      // A fresh or idle database has too few reads for a ratio to mean anything.
      if (db.ratioPct === null || db.hits + db.reads < 10_000) return { value: null, message: `too few block reads to judge (${db.hits + db.reads})` };
      return { value: db.ratioPct, message: `cache hit ratio ${db.ratioPct}% (${db.hits.toLocaleString('en-US')} hits, ${db.reads.toLocaleString('en-US')} reads)` };
    },
  },
  {
    name: 'invalid-indexes', unit: 'count', higherIsWorse: true, warning: '1', critical: 'none',
    description: 'indexes left invalid by a failed CREATE INDEX CONCURRENTLY',
    async measure({ sql }) {
      const rows = await query<{ schema: string; index: string }>(sql, 'monitor/indexes-invalid', [[]]);
      const names = describeGroups(groupAcrossSchemas(rows.map((r) => ({ schema: r.schema, name: r.index }))));
      return { value: rows.length, message: rows.length ? `${rows.length} invalid index(es): ${names}` : 'no invalid indexes' };
    },
  },
  {
    name: 'replication-lag', unit: 'bytes', higherIsWorse: true, warning: '1GB', critical: '10GB',
    description: 'replay lag of the furthest-behind standby, in bytes of WAL',
    async measure({ sql }) {
      const standbys = (await replicationLag(sql)).filter((s) => s.lagBytes !== null);
      if (!standbys.length) return { value: null, message: 'no standbys attached' };
      const worstLag = standbys[0]!;
      return { value: worstLag.lagBytes, message: `standby "${worstLag.standby}" is ${bytes(worstLag.lagBytes ?? 0)} behind` };
    },
  },
  {
    name: 'inactive-slots', unit: 'count', higherIsWorse: true, warning: '1', critical: 'none',
    description: 'replication slots with no consumer attached (they keep WAL until dropped)',
    async measure(ctx) {
      const inactive = (await ctx.slots()).filter((s) => !s.active);
      if (!inactive.length) return { value: 0, message: 'no inactive replication slots' };
      const list = inactive.slice(0, 5).map((s) => `"${s.slot}" (${s.type}${s.retained_bytes === null ? '' : `, ${bytes(Number(s.retained_bytes))} retained`})`).join(', ');
      return { value: inactive.length, message: `${inactive.length} inactive replication slot(s): ${list}${inactive.length > 5 ? ', …' : ''}` };
    },
  },
  {
    name: 'slot-wal', unit: 'bytes', higherIsWorse: true, warning: '1GB', critical: '10GB',
    description: 'WAL retained by the replication slot that holds the most (the disk fills if it grows)',
    async measure(ctx) {
      const top = (await ctx.slots()).find((s) => s.retained_bytes !== null);
      if (!top) return { value: null, message: 'no replication slots retain WAL' };
      const retained = Number(top.retained_bytes);
      return { value: retained, message: `slot "${top.slot}" (${top.active ? 'active' : 'inactive'}) retains ${bytes(retained)} of WAL` };
    },
  },
  {
    name: 'prepared-transactions', unit: 'ms', higherIsWorse: true, warning: '1s', critical: '30s',
    description: 'age of the oldest prepared (two-phase) transaction; each holds locks and blocks vacuum',
    async measure({ sql }) {
      const rows = await query<{ gid: string; database: string; owner: string; age_ms: string }>(sql, 'monitor/prepared-transactions');
      if (!rows.length) return { value: 0, message: 'no prepared transactions' };
      const oldest = rows[0]!;
      return { value: Number(oldest.age_ms), message: `${rows.length} prepared transaction(s), oldest "${oldest.gid}" in ${oldest.database} by ${oldest.owner}, prepared ${secs(Number(oldest.age_ms))} ago` };
    },
  },
  {
    name: 'not-valid-constraints', unit: 'count', higherIsWorse: true, warning: '1', critical: 'none',
    alongside: true,
    description: 'CHECK and foreign-key constraints added NOT VALID and never validated',
    async measure({ sql }) {
      const rows = await query<{ schema: string; table: string; constraint: string }>(sql, 'monitor/not-valid-constraints');
      if (!rows.length) return { value: 0, message: 'every constraint is validated' };
      const names = describeGroups(groupAcrossSchemas(rows.map((r) => ({ schema: r.schema, name: `${r.table}.${r.constraint}` }))));
      return { value: rows.length, message: `${rows.length} constraint(s) never validated: ${names}` };
    },
  },
  {
    name: 'never-vacuumed', unit: 'count', higherIsWorse: true, warning: '1', critical: 'none',
    alongside: true,
    description: `tables of ${NEVER_MAINTAINED_MIN_ROWS.toLocaleString('en-US')}+ rows that were never vacuumed nor analyzed`,
    async measure({ sql }) {
      const rows = await query<{ schema: string; table: string }>(sql, 'monitor/never-maintained', [NEVER_MAINTAINED_MIN_ROWS]);
      // Smaller tables are not looked at: say so, rather than vouch for every table.
      if (!rows.length) return { value: 0, message: `every table of ${NEVER_MAINTAINED_MIN_ROWS.toLocaleString('en-US')}+ rows has been vacuumed or analyzed (smaller tables are not checked)` };
      const names = describeGroups(groupAcrossSchemas(rows.map((r) => ({ schema: r.schema, name: r.table }))));
      return { value: rows.length, message: `${rows.length} table(s) never vacuumed nor analyzed (autovacuum off or starved?): ${names}` };
    },
  },
  // Citus clusters only; reports nothing to judge elsewhere.
  NODES_DOWN_CHECK,
  NODE_SKEW_CHECK,
];
