import { describe, expect, it } from 'vitest';
import { resolveSettings, summarize, type CheckResult } from '../../src/monitor/check.js';
import { usage } from '../../src/monitor/sequences.js';
import { statColumns } from '../../src/monitor/stat-statements.js';
import { judge, parseThreshold, showThreshold } from '../../src/monitor/thresholds.js';

describe('check_postgres-style thresholds', () => {
  it('reads percentages, sizes and durations in the unit of the check', () => {
    expect(parseThreshold('90%', 'percent', 'x')).toBe(90);
    expect(parseThreshold('10 GB', 'bytes', 'x')).toBe(10 * 1024 ** 3);
    expect(parseThreshold('512MB', 'bytes', 'x')).toBe(512 * 1024 ** 2);
    expect(parseThreshold('5min', 'ms', 'x')).toBe(300_000);
    expect(parseThreshold('30', 'ms', 'x')).toBe(30_000);
    expect(parseThreshold('2 hours', 'ms', 'x')).toBe(7_200_000);
    expect(parseThreshold('none', 'count', 'x')).toBeNull();
    expect(showThreshold(300_000, 'ms')).toBe('5min');
    expect(showThreshold(10 * 1024 ** 3, 'bytes')).toBe('10 GB');
  });

  it('rejects a value in the wrong unit as UNKNOWN (exit 3), naming the flag', () => {
    expect(() => parseThreshold('10 GB', 'percent', '--warning connections')).toThrow(/--warning connections: "10 GB"/);
    try {
      parseThreshold('fast', 'ms', '--critical long-queries');
    } catch (error) {
      expect((error as { exitCode: number }).exitCode).toBe(3);
    }
  });

  it('rejects an empty value (an unset shell variable) instead of switching the level off', () => {
    for (const empty of ['', '  ']) {
      expect(() => parseThreshold(empty, 'percent', '--warning connections')).toThrow(`--warning connections: "${empty}" is not a valid threshold (it is empty).`);
    }
    expect(parseThreshold('off', 'percent', 'x')).toBeNull();
  });

  it('rejects a negative value, a share over 100 % and a fraction of a count', () => {
    expect(() => parseThreshold('-5', 'percent', '--warning connections')).toThrow('(it is negative)');
    expect(() => parseThreshold('150%', 'percent', '--warning wraparound')).toThrow('(a share is at most 100%)');
    expect(() => parseThreshold('2.5', 'count', '--warning blocked')).toThrow('(this check counts whole things)');
    expect(parseThreshold('100%', 'percent', 'x')).toBe(100);
    expect(parseThreshold('0', 'count', 'x')).toBe(0);
    expect(parseThreshold('0.5s', 'ms', 'x')).toBe(500);
  });

  it('never rounds a sequence up across a threshold: 18,999 of 20,000 is under 95 %', () => {
    const { usedPct } = usage(18999n, 1n, 0n, 20000n);
    expect(usedPct).toBe(94.99);
    expect(judge(usedPct, 85, 95)).toBe('WARNING');
  });

  it('judges higher-is-worse and lower-is-worse values', () => {
    expect(judge(85, 80, 95)).toBe('WARNING');
    expect(judge(95, 80, 95)).toBe('CRITICAL');
    expect(judge(10, 80, null)).toBe('OK');
    expect(judge(85, 90, 80, false)).toBe('WARNING');
    expect(judge(70, 90, 80, false)).toBe('CRITICAL');
  });

  it('lets flags override the config file, which overrides the defaults', () => {
    const s = resolveSettings({ config: { connections: { warning: '60%', critical: '70%' }, sequences: { enabled: false } }, critical: ['connections=75%'], skip: ['replication-lag'] });
    expect(s.get('connections')).toEqual({ enabled: true, warning: 60, critical: 75 });
    expect(s.get('sequences')!.enabled).toBe(false);
    expect(s.get('replication-lag')!.enabled).toBe(false);
    expect(s.get('long-queries')).toEqual({ enabled: true, warning: 300_000, critical: 1_800_000 });
    expect(() => resolveSettings({ warning: ['conections=5%'] })).toThrow(/no check named "conections"/);
  });

  it('ranks CRITICAL over WARNING over UNKNOWN over OK', () => {
    const r = (status: CheckResult['status']): CheckResult => ({ name: status, status, value: null, unit: 'count', message: '', warning: '', critical: '' });
    expect(summarize([r('OK'), r('UNKNOWN'), r('WARNING')]).exitCode).toBe(1);
    expect(summarize([r('UNKNOWN'), r('CRITICAL')]).exitCode).toBe(2);
    expect(summarize([r('OK'), r('UNKNOWN')]).exitCode).toBe(3);
    expect(summarize([r('OK')]).exitCode).toBe(0);
  });
});

describe('pg_stat_statements columns by server version', () => {
  it('uses total_exec_time and shared_blk_read_time on PostgreSQL 17', () => {
    expect(statColumns(['calls', 'total_plan_time', 'total_exec_time', 'mean_exec_time', 'shared_blk_read_time', 'shared_blk_write_time', 'local_blk_read_time'])).toEqual({
      total: 'total_exec_time', mean: 'mean_exec_time', plan: 'total_plan_time', ioRead: 'shared_blk_read_time', ioWrite: 'shared_blk_write_time',
    });
  });
  it('uses total_time and blk_read_time on PostgreSQL 12', () => {
    expect(statColumns(['calls', 'total_time', 'mean_time', 'blk_read_time', 'blk_write_time'])).toEqual({ total: 'total_time', mean: 'mean_time', plan: null, ioRead: 'blk_read_time', ioWrite: 'blk_write_time' });
  });
});

describe('sequence usage', () => {
  it('measures from the start side to the limit, ascending and descending, exactly for int8', () => {
    expect(usage(32000n, 1n, 1n, 32767n).usedPct).toBe(97.65); // 97.659…, rounded down
    const down = usage(-1500n, -1n, -2000n, -1n);
    expect(down.usedPct).toBe(74.98); // 74.987…, rounded down
    expect(down.callsLeft).toBe(500n);
    expect(usage(9223372036854775000n, 1n, 1n, 9223372036854775807n).callsLeft).toBe(807n);
  });
});

describe('monitor check --config', () => {
  it('refuses what it would otherwise ignore: an unknown key, a quoted boolean, a value that is no object', () => {
    for (const [config, says] of [
      [{ connections: { warn: '1%' } }, 'connections.warn: not a setting'],
      [{ connections: { enabled: 'false' } }, 'connections.enabled: expected true or false'],
      [{ connections: '1%' }, 'connections: expected an object'],
      [{ connections: null }, 'connections: expected an object'],
    ] as const) {
      expect(() => resolveSettings({ config: config as never }), JSON.stringify(config)).toThrow(says);
    }
    expect(resolveSettings({ config: { connections: { enabled: false, warning: '50%' } } as never }).get('connections')).toMatchObject({ enabled: false });
  });

  it('refuses a selection that leaves no check to run (a plugin that checked nothing is no OK)', () => {
    expect(() => resolveSettings({ only: ['connections'], skip: ['connections'] })).toThrow('No check is left to run');
  });
});
