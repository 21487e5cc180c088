import type { TenantSource } from '../migrate/state.js';
import type { Pool } from '../db/connect.js';
import { reserveConnection } from '../db/reserve.js';
import { query } from '../db/queries.js';
import { CheckContext, CHECKS, type CheckDefinition, type Measurement } from './check-list.js';
import { DEFAULT_LOCK_TIMEOUT, prepareSession } from './session.js';
import { judge, NAGIOS, parseThreshold, showThreshold, thresholdError, worst, type Status, type Threshold, type Unit } from './thresholds.js';

export { CHECKS, type CheckDefinition } from './check-list.js';
export { unknownReport } from './unknown-report.js';

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
    // A key the file gets wrong must not be ignored in silence: a typo ("warn") would leave the threshold at its default.
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw thresholdError(`--config ${name}: expected an object such as {"warning": "80%", "critical": "90%", "enabled": true}, got ${JSON.stringify(value)}.`, 'Fix the file; nothing was checked.');
    const unknownKey = Object.keys(value).find((k) => !['enabled', 'warning', 'critical'].includes(k));
    if (unknownKey) throw thresholdError(`--config ${name}.${unknownKey}: not a setting of a check.`, 'A check takes "warning", "critical" and "enabled"; nothing was checked.');
    if (value.enabled !== undefined && typeof value.enabled !== 'boolean') throw thresholdError(`--config ${name}.enabled: expected true or false, got ${JSON.stringify(value.enabled)}.`, 'Write it without quotes; nothing was checked.');
    if (value.enabled !== undefined) s.enabled = value.enabled;
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
  // A plugin that ran nothing has checked nothing: never an OK.
  if (![...settings.values()].some((s) => s.enabled)) throw thresholdError('No check is left to run (--only, --skip and the config file switch every one off).', `Checks: ${CHECKS.map((c) => c.name).join(', ')}.`);
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
  /** The thresholds in the check's unit (null: that level is off), for perfdata. */
  limits: { warning: Threshold; critical: Threshold; higherIsWorse: boolean };
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

/** One check measured and judged; a check that errors (or cannot get its connection) is UNKNOWN. */
async function runCheck(check: CheckDefinition, s: CheckSettings, measure: () => Promise<Measurement>): Promise<CheckResult> {
  const shown = { warning: showThreshold(s.warning, check.unit), critical: showThreshold(s.critical, check.unit), limits: { warning: s.warning, critical: s.critical, higherIsWorse: check.higherIsWorse } };
  try {
    const m = await measure();
    const status = m.value === null ? 'OK' : judge(m.value, s.warning, s.critical, check.higherIsWorse);
    // What was seen already alerts: say so; seeing nothing wrong in part of the picture is no OK.
    if (m.incomplete && status === 'OK') return { name: check.name, status: 'UNKNOWN', value: null, unit: check.unit, message: `cannot tell: ${m.incomplete} (of what it can see: ${m.message})`, ...shown };
    return { name: check.name, status, value: m.value, unit: check.unit, message: m.incomplete ? `${m.message}; ${m.incomplete}` : m.message, ...shown };
  } catch (error) {
    return { name: check.name, status: 'UNKNOWN', value: null, unit: check.unit, message: `check failed: ${(error as Error).message}`, ...shown };
  }
}

/**
 * Run the enabled checks against their thresholds. A check that errors is UNKNOWN; the rest
 * still run. The checks that read pg_stat_activity run first, alone. Then, when the pool has
 * more than one connection, each `alongside` check runs in a transaction of its own on another
 * connection (with the monitoring session's settings) while the rest run one after another
 * on the connection the caller prepared (or after them there, when it cannot connect).
 * Results keep the order of CHECKS.
 * @param lockTimeout the monitoring session's lock_timeout, for the other connections
 */
export async function runChecks(sql: Pool, targets: TenantSource, settings: Map<string, CheckSettings>, lockTimeout = DEFAULT_LOCK_TIMEOUT): Promise<CheckReport> {
  await query(sql, 'monitor/check-settings');
  const enabled = CHECKS.filter((c) => settings.get(c.name)!.enabled);
  const aside = (sql.options.max ?? 1) > 1 ? enabled.filter((c) => c.alongside && !c.readsSessions) : [];
  const results = new Map<CheckDefinition, CheckResult>();
  // Keep the prepared connection for the sequence: an alongside transaction must open its own.
  const main = await reserveConnection(sql);
  try {
    const ctx = new CheckContext(main, targets);
    const inSequence = async (check: CheckDefinition) => results.set(check, await runCheck(check, settings.get(check.name)!, () => check.measure(ctx)));
    for (const check of enabled.filter((c) => c.readsSessions)) await inSequence(check);
    const started = aside.map(async (check) => {
      let connected = false;
      const result = await runCheck(check, settings.get(check.name)!, () => sql.begin(async (tx) => {
        connected = true;
        await prepareSession(tx, lockTimeout);
        await query(tx, 'monitor/check-settings');
        return check.measure(new CheckContext(tx, targets));
      }) as Promise<Measurement>);
      // No connection of its own (max_connections reached, say): it runs in the sequence instead.
      if (connected) results.set(check, result);
    });
    for (const check of enabled.filter((c) => !c.readsSessions && !aside.includes(c))) await inSequence(check);
    await Promise.all(started);
    for (const check of aside.filter((c) => !results.has(c))) await inSequence(check);
  } finally {
    main.release();
  }
  return summarize(enabled.map((c) => results.get(c)!));
}

