import type { CheckReport, CheckResult } from './check.js';
import { NAGIOS } from './thresholds.js';

/**
 * The report when nothing could be checked (no connection, bad thresholds, a wrong command
 * line): UNKNOWN, exit 3. A file of its own: a usage error reports it without loading the checks.
 */
export function unknownReport(message: string): CheckReport {
  const problem: CheckResult = { name: 'monitor', status: 'UNKNOWN', value: null, unit: 'count', message, warning: 'off', critical: 'off', limits: { warning: null, critical: null, higherIsWorse: true } };
  return { status: 'UNKNOWN', exitCode: NAGIOS.UNKNOWN, checks: [problem], problems: [problem] };
}
