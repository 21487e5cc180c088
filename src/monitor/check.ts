import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { databaseHitRatio } from './cache.js';
import { activityReport, connectionReport, replicationLag } from './sessions.js';
import { sequenceReport } from './sequences.js';
import { judge, NAGIOS, parseThreshold, showThreshold, thresholdError, worst, type Status, type Threshold, type Unit } from './thresholds.js';
import { databaseAges } from './vacuum.js';

/** What one check measured: a value in its unit (null: nothing to judge) and how to say it. */
interface Measurement {
  value: number | null;
  message: string;
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
  measure(ctx: CheckContext): Promise<Measurement>;
}

/** Shared, lazily read facts so that several checks cost one query. */
class CheckContext {
  private activity?: ReturnType<typeof activityReport>;
  constructor(readonly sql: Sql) {}
  sessions(): ReturnType<typeof activityReport> {
    this.activity ??= activityReport(this.sql, { queryLength: 80 });
    return this.activity;
  }
}

const secs = (ms: number): string => (ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`);
const bytes = (b: number): string => showThreshold(Math.round(b), 'bytes');

/** Every check, in the order they run and print. Defaults follow check_postgres where it has one. */
export const CHECKS: readonly CheckDefinition[] = [
  {
    name: 'connections', unit: 'percent', higherIsWorse: true, warning: '80%', critical: '95%',
    description: 'client connections as a share of max_connections',
    async measure({ sql }) {
      const r = await connectionReport(sql);
      return { value: r.usedPct, message: `${r.usedPct}% of max_connections in use (${r.used} of ${r.maxConnections}, ${r.reserved} reserved for superusers)` };
    },
  },
  {
    name: 'long-queries', unit: 'ms', higherIsWorse: true, warning: '5min', critical: '30min',
    description: 'age of the longest-running active query',
    async measure(ctx) {
      const active = (await ctx.sessions()).sessions.filter((s) => s.state === 'active');
      const longest = active.reduce<(typeof active)[number] | undefined>((a, s) => ((s.durationMs ?? 0) > (a?.durationMs ?? -1) ? s : a), undefined);
      if (!longest) return { value: 0, message: 'no active queries' };
      return { value: longest.durationMs ?? 0, message: `longest query has run ${secs(longest.durationMs ?? 0)} (pid ${longest.pid}, ${longest.role}@${longest.database}: ${longest.query})` };
    },
  },
  {
    name: 'idle-in-transaction', unit: 'ms', higherIsWorse: true, warning: '5min', critical: '30min',
    description: 'longest time a session has sat idle inside an open transaction',
    async measure(ctx) {
      const idle = (await ctx.sessions()).sessions.filter((s) => s.state.startsWith('idle in transaction'));
      const longest = idle.reduce<(typeof idle)[number] | undefined>((a, s) => ((s.durationMs ?? 0) > (a?.durationMs ?? -1) ? s : a), undefined);
      if (!longest) return { value: 0, message: 'no sessions idle in transaction' };
      return { value: longest.durationMs ?? 0, message: `${idle.length} session(s) idle in transaction, longest ${secs(longest.durationMs ?? 0)} (pid ${longest.pid}, ${longest.role}@${longest.database}, application "${longest.application}")` };
    },
  },
  {
    name: 'blocked', unit: 'count', higherIsWorse: true, warning: '3', critical: '10',
    description: 'sessions waiting for a lock another session holds',
    async measure(ctx) {
      const { blocking } = await ctx.sessions();
      const blocked = new Set(blocking.map((p) => p.blockedPid));
      if (!blocked.size) return { value: 0, message: 'no blocked sessions' };
      const longest = Math.max(...blocking.map((p) => p.waitingMs ?? 0));
      const blockers = [...new Set(blocking.map((p) => p.blockingPid))];
      return { value: blocked.size, message: `${blocked.size} session(s) blocked, longest wait ${secs(longest)}, blocked by pid ${blockers.join(', ')}` };
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
      const { sequences, total } = await sequenceReport(sql, { limit: 1 });
      const top = sequences[0];
      if (!top || top.usedPct === null) return { value: 0, message: `${total} sequence(s), none used yet` };
      return { value: top.usedPct, message: `sequence ${top.schema}.${top.sequence} is ${top.usedPct}% used (last value ${top.lastValue} of ${top.limit}${top.limitFrom === 'column' ? `, limited by column ${top.ownedBy}` : ''})` };
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
      const names = rows.slice(0, 5).map((r) => `${r.schema}.${r.index}`).join(', ');
      return { value: rows.length, message: rows.length ? `${rows.length} invalid index(es): ${names}${rows.length > 5 ? ', …' : ''}` : 'no invalid indexes' };
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
];

/** Thresholds per check after defaults, the config file and flags. */
export interface CheckSettings {
  enabled: boolean;
  warning: Threshold;
  critical: Threshold;
}

/** Config file shape: `{ "connections": { "warning": "80%", "critical": "90%" }, "sequences": { "enabled": false } }`. */
export type CheckConfig = Record<string, { warning?: string | number; critical?: string | number; enabled?: boolean }>;

/**
 * Resolve each check's thresholds: defaults, then the config file, then `--warning` /
 * `--critical name=value` flags; `only` / `skip` pick the checks. Mistakes are UNKNOWN (3).
 */
export function resolveSettings(input: { config?: CheckConfig; warning?: string[]; critical?: string[]; only?: string[]; skip?: string[] }): Map<string, CheckSettings> {
  const byName = new Map(CHECKS.map((c) => [c.name, c]));
  const known = (name: string, where: string): CheckDefinition => {
    const check = byName.get(name);
    if (!check) throw thresholdError(`${where}: there is no check named "${name}".`, `Checks: ${CHECKS.map((c) => c.name).join(', ')}.`);
    return check;
  };
  const settings = new Map<string, CheckSettings>();
  for (const c of CHECKS) settings.set(c.name, { enabled: true, warning: parseThreshold(c.warning, c.unit, c.name), critical: parseThreshold(c.critical, c.unit, c.name) });
  const config = input.config?.checks && typeof input.config.checks === 'object' ? (input.config.checks as unknown as CheckConfig) : input.config ?? {};
  for (const [name, value] of Object.entries(config)) {
    const check = known(name, '--config');
    const s = settings.get(name)!;
    if (value.enabled !== undefined) s.enabled = Boolean(value.enabled);
    if (value.warning !== undefined) s.warning = parseThreshold(String(value.warning), check.unit, `--config ${name}.warning`);
    if (value.critical !== undefined) s.critical = parseThreshold(String(value.critical), check.unit, `--config ${name}.critical`);
  }
  for (const [flag, level] of [['--warning', 'warning'], ['--critical', 'critical']] as const) {
    for (const pair of (level === 'warning' ? input.warning : input.critical) ?? []) {
      const eq = pair.indexOf('=');
      if (eq < 1) throw thresholdError(`${flag} ${pair}: expected check=value, e.g. ${flag} connections=90%.`, `Checks: ${CHECKS.map((c) => c.name).join(', ')}.`);
      const name = pair.slice(0, eq).trim();
      settings.get(known(name, flag).name)![level] = parseThreshold(pair.slice(eq + 1), byName.get(name)!.unit, `${flag} ${name}`);
    }
  }
  if (input.only?.length) for (const [name, s] of settings) s.enabled = input.only.map((n) => known(n, '--only').name).includes(name);
  for (const name of input.skip ?? []) settings.get(known(name, '--skip').name)!.enabled = false;
  return settings;
}

/** One check's outcome. */
export interface CheckResult {
  name: string;
  status: Status;
  value: number | null;
  unit: Unit;
  message: string;
  warning: string;
  critical: string;
}

/** The outcome of `monitor check`: the worst status decides the exit code. */
export interface CheckReport {
  status: Status;
  exitCode: number;
  checks: CheckResult[];
  problems: CheckResult[];
}

/** Turn results into a report (worst status wins by the monitoring-plugins rule). */
export function summarize(checks: CheckResult[]): CheckReport {
  const status = worst(checks.map((c) => c.status));
  return { status, exitCode: NAGIOS[status], checks, problems: checks.filter((c) => c.status !== 'OK') };
}

/** Run the enabled checks against their thresholds. A check that errors is UNKNOWN; the rest still run. */
export async function runChecks(sql: Sql, settings: Map<string, CheckSettings>): Promise<CheckReport> {
  const ctx = new CheckContext(sql);
  const results: CheckResult[] = [];
  for (const check of CHECKS) {
    const s = settings.get(check.name)!;
    if (!s.enabled) continue;
    const shown = { warning: showThreshold(s.warning, check.unit), critical: showThreshold(s.critical, check.unit) };
    try {
      const m = await check.measure(ctx);
      const status = m.value === null ? 'OK' : judge(m.value, s.warning, s.critical, check.higherIsWorse);
      results.push({ name: check.name, status, value: m.value, unit: check.unit, message: m.message, ...shown });
    } catch (error) {
      results.push({ name: check.name, status: 'UNKNOWN', value: null, unit: check.unit, message: `check failed: ${(error as Error).message}`, ...shown });
    }
  }
  return summarize(results);
}

/** The report when nothing could be checked (no connection, bad thresholds): UNKNOWN, exit 3. */
export function unknownReport(message: string): CheckReport {
  const problem: CheckResult = { name: 'monitor', status: 'UNKNOWN', value: null, unit: 'count', message, warning: 'off', critical: 'off' };
  return { status: 'UNKNOWN', exitCode: NAGIOS.UNKNOWN, checks: [problem], problems: [problem] };
}
