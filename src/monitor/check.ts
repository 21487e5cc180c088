import type { TenantSource } from '../migrate/state.js';
import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { CheckContext, CHECKS, type CheckDefinition } from './check-list.js';
import { judge, NAGIOS, parseThreshold, showThreshold, thresholdError, worst, type Status, type Threshold, type Unit } from './thresholds.js';

export { CHECKS, type CheckDefinition } from './check-list.js';

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

/** Run the enabled checks against their thresholds. A check that errors is UNKNOWN; the rest still run. */
export async function runChecks(sql: Sql, targets: TenantSource, settings: Map<string, CheckSettings>): Promise<CheckReport> {
  await query(sql, 'monitor/check-settings');
  const ctx = new CheckContext(sql, targets);
  const results: CheckResult[] = [];
  for (const check of CHECKS) {
    const s = settings.get(check.name)!;
    if (!s.enabled) continue;
    const shown = { warning: showThreshold(s.warning, check.unit), critical: showThreshold(s.critical, check.unit), limits: { warning: s.warning, critical: s.critical, higherIsWorse: check.higherIsWorse } };
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
  const problem: CheckResult = { name: 'monitor', status: 'UNKNOWN', value: null, unit: 'count', message, warning: 'off', critical: 'off', limits: { warning: null, critical: null, higherIsWorse: true } };
  return { status: 'UNKNOWN', exitCode: NAGIOS.UNKNOWN, checks: [problem], problems: [problem] };
}
