import { TenantctlError } from '../errors.js';

/** Nagios exit codes, used by `monitor check` (0 OK / 1 WARNING / 2 CRITICAL / 3 UNKNOWN). */
export const NAGIOS = { OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3 } as const;
export type Status = keyof typeof NAGIOS;

/** What a check measures, which decides which threshold units it accepts. */
export type Unit = 'percent' | 'bytes' | 'ms' | 'count';

/** A parsed threshold: a number in the check's unit, or null when that level is switched off. */
export type Threshold = number | null;

/**
 * A `monitor check` threshold or config value is wrong. For Nagios a misconfigured check
 * is UNKNOWN (exit 3), not CRITICAL, so these errors carry exit code 3.
 */
export function thresholdError(message: string, hint: string): TenantctlError {
  return new TenantctlError('BAD_THRESHOLD', message, { hint, exitCode: NAGIOS.UNKNOWN });
}

const BYTE_UNITS: Record<string, number> = { b: 1, byte: 1, bytes: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, tib: 1024 ** 4 };
const TIME_UNITS: Record<string, number> = {
  ms: 1, msec: 1, s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hour: 3_600_000, hours: 3_600_000, d: 86_400_000, day: 86_400_000, days: 86_400_000,
};

/**
 * Parse a check_postgres-style value for a check measured in `unit`: `90%`, `10 GB`,
 * `512MB`, `5min`, `30s`, `2 hours`, `3`, or `none`/`off` to switch the level off. A bare
 * number is taken in the check's own unit (percent, bytes, seconds for durations, count).
 * Only the words switch a level off: an empty value is an error.
 */
export function parseThreshold(text: string, unit: Unit, where: string): Threshold {
  const value = text.trim().toLowerCase();
  if (value === 'none' || value === 'off') return null;
  const fail = (why: string): never => {
    throw thresholdError(`${where}: "${text}" is not a valid threshold (${why}).`, `Use ${example(unit)}, or "none" to switch this level off.`);
  };
  // Empty is not "off": `--warning connections=$W` with W unset must not switch alerting off.
  if (value === '') return fail('it is empty');
  const match = /^(-?\d+(?:\.\d+)?)\s*([a-z%]*)$/.exec(value);
  if (!match) return fail('expected a number with an optional unit');
  const number = Number(match[1]);
  // Nothing measured here is below zero, a share above 100 %, or a count in fractions.
  if (number < 0) return fail('it is negative');
  if (unit === 'percent' && number > 100) return fail('a share is at most 100%');
  if (unit === 'count' && !Number.isInteger(number)) return fail('this check counts whole things');
  const suffix = match[2] ?? '';
  if (suffix === '') return unit === 'ms' ? number * 1000 : number;
  if (unit === 'percent') return suffix === '%' ? number : fail('this check takes a percentage');
  if (unit === 'bytes') return BYTE_UNITS[suffix] !== undefined ? number * BYTE_UNITS[suffix]! : fail('this check takes a size such as 10 GB');
  if (unit === 'ms') return TIME_UNITS[suffix] !== undefined ? number * TIME_UNITS[suffix]! : fail('this check takes a duration such as 5min');
  return fail('this check takes a plain count');
}

function example(unit: Unit): string {
  return { percent: 'a percentage such as 90%', bytes: 'a size such as 10 GB', ms: 'a duration such as 30s, 5min or 1h', count: 'a whole number such as 5' }[unit];
}

/** How a threshold reads back to a person ("90%", "10.0 GB", "5 min", "3"). */
export function showThreshold(value: Threshold, unit: Unit): string {
  if (value === null) return 'off';
  if (unit === 'percent') return `${value}%`;
  if (unit === 'count') return String(value);
  if (unit === 'bytes') {
    const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
    let v = value;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i += 1;
    }
    return i === 0 ? `${v} bytes` : `${Number(v.toFixed(1))} ${units[i]}`;
  }
  if (value % 3_600_000 === 0) return `${value / 3_600_000}h`;
  if (value % 60_000 === 0) return `${value / 60_000}min`;
  if (value % 1000 === 0) return `${value / 1000}s`;
  return `${value}ms`;
}

/**
 * The status of one measured value against its thresholds. `higherIsWorse` false is for
 * ratios like the cache hit rate, where falling below the threshold is the problem.
 */
export function judge(value: number, warning: Threshold, critical: Threshold, higherIsWorse = true): Status {
  const breaches = (limit: Threshold): boolean => limit !== null && (higherIsWorse ? value >= limit : value <= limit);
  if (breaches(critical)) return 'CRITICAL';
  if (breaches(warning)) return 'WARNING';
  return 'OK';
}

/**
 * The overall state of several checks, by the monitoring-plugins rule
 * (CRITICAL > WARNING > UNKNOWN > OK): a known problem outranks a check that could not run.
 */
export function worst(statuses: readonly Status[]): Status {
  for (const s of ['CRITICAL', 'WARNING', 'UNKNOWN'] as const) if (statuses.includes(s)) return s;
  return 'OK';
}
