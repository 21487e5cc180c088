import { cleanNumber } from '../output/format.js';
import type { CheckReport, CheckResult } from './check.js';
import type { Threshold, Unit } from './thresholds.js';

/*
 * Performance data as the Monitoring Plugins Development Guidelines define it:
 * 'label'=value[UOM];[warn];[crit];[min];[max], space-separated after a `|` on the first
 * line. Durations go out in seconds, sizes in bytes, shares in percent; a value that could
 * not be measured is `U`. Thresholds are `@` ranges (see range()).
 */

const UOM: Record<Unit, string> = { ms: 's', bytes: 'B', percent: '%', count: '' };

function inUnit(value: number, unit: Unit): number {
  return cleanNumber(unit === 'ms' ? value / 1000 : value);
}

/**
 * A threshold as a range of the guidelines that alerts exactly when judge() does: at the
 * limit and beyond (`@80:` alerts from 80 up; `@~:90` from 90 down). The plain forms (`80`:
 * alert above 80; `90:` below 90) leave the limit itself OK, so a grapher read 80 % as fine
 * while the check exited WARNING.
 */
function range(limit: Threshold, unit: Unit, higherIsWorse: boolean): string {
  if (limit === null) return '';
  return higherIsWorse ? `@${inUnit(limit, unit)}:` : `@~:${inUnit(limit, unit)}`;
}

/** One check's perfdata item, e.g. `connections=3%;@80:;@95:;0;100`. */
export function perfdataItem(c: CheckResult): string {
  const label = /^[A-Za-z0-9_.-]+$/.test(c.name) ? c.name : `'${c.name.replace(/'/g, "''")}'`;
  const value = c.value === null ? 'U' : `${inUnit(c.value, c.unit)}${UOM[c.unit]}`;
  const { warning, critical, higherIsWorse } = c.limits;
  return `${label}=${value};${range(warning, c.unit, higherIsWorse)};${range(critical, c.unit, higherIsWorse)};0;${c.unit === 'percent' ? 100 : ''}`;
}

/** Every measured check's perfdata, or '' when nothing was measured (UNKNOWN before any check ran). */
export function perfdata(report: CheckReport): string {
  return report.checks.filter((c) => c.name !== 'monitor').map(perfdataItem).join(' ');
}

const RANK = { CRITICAL: 0, WARNING: 1, UNKNOWN: 2, OK: 3 } as const;

/** Problems in the order a person should read them: CRITICAL, WARNING, UNKNOWN (then check order). */
export function byUrgency(checks: readonly CheckResult[]): CheckResult[] {
  return checks.map((c, i) => ({ c, i })).sort((a, b) => RANK[a.c.status] - RANK[b.c.status] || a.i - b.i).map(({ c }) => c);
}
