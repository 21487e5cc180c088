import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/monitor/check.js';
import { describeGroups, groupAcrossSchemas } from '../../src/monitor/group.js';
import { byUrgency, perfdataItem } from '../../src/monitor/nagios.js';
import { cleanNumber, formatCount, formatDuration, formatPrometheus } from '../../src/output/format.js';

const result = (over: Partial<CheckResult>): CheckResult => ({
  name: 'x', status: 'OK', value: 0, unit: 'count', message: '', warning: '', critical: '',
  limits: { warning: null, critical: null, higherIsWorse: true }, ...over,
});

describe('Nagios perfdata', () => {
  it("writes 'label'=value[UOM];warn;crit;min;max in base units", () => {
    expect(perfdataItem(result({ name: 'connections', unit: 'percent', value: 3.5, limits: { warning: 80, critical: 95, higherIsWorse: true } }))).toBe('connections=3.5%;@80:;@95:;0;100');
    expect(perfdataItem(result({ name: 'long-queries', unit: 'ms', value: 279_000, limits: { warning: 300_000, critical: 1_800_000, higherIsWorse: true } }))).toBe('long-queries=279s;@300:;@1800:;0;');
    expect(perfdataItem(result({ name: 'slot-wal', unit: 'bytes', value: 347 * 1024 ** 2, limits: { warning: 1024 ** 3, critical: null, higherIsWorse: true } }))).toBe('slot-wal=363855872B;@1073741824:;;0;');
  });

  it('uses U for an unmeasured value and the range form for low-is-bad ratios', () => {
    expect(perfdataItem(result({ name: 'cache-hit', unit: 'percent', value: null, limits: { warning: 90, critical: 80, higherIsWorse: false } }))).toBe('cache-hit=U;@~:90;@~:80;0;100');
  });

  it('quotes labels that are not plain words', () => {
    expect(perfdataItem(result({ name: "odd name's" }))).toBe("'odd name''s'=0;;;0;");
  });

  it('orders problems CRITICAL, WARNING, UNKNOWN, keeping check order within a state', () => {
    const ordered = byUrgency([result({ name: 'a', status: 'WARNING' }), result({ name: 'b', status: 'UNKNOWN' }), result({ name: 'c', status: 'CRITICAL' }), result({ name: 'd', status: 'WARNING' })]);
    expect(ordered.map((c) => c.name)).toEqual(['c', 'a', 'd', 'b']);
  });
});

describe('numbers people and parsers read', () => {
  it('keeps int8 values exact and strips float noise', () => {
    expect(formatCount('9223372036854775807')).toBe('9,223,372,036,854,775,807');
    expect(formatCount(1234.5)).toBe('1,234.5');
    expect(cleanNumber(0.9779000000000001)).toBe(0.9779);
    expect(cleanNumber(4.933586999999989)).toBe(4.933587);
    expect(cleanNumber(9007199254740993)).toBe(9007199254740993);
    expect(formatPrometheus([{ name: 'm', help: 'h', type: 'gauge', samples: [{ value: 0.9779000000000001 }] }])).toContain('\nm 0.9779\n');
  });

  it('never rounds a duration up into the next unit', () => {
    expect(formatDuration(279_000)).toBe('4 min 39 s');
    expect(formatDuration(299_999)).toBe('4 min 59 s');
    expect(formatDuration(59_990)).toBe('59.9 s');
    expect(formatDuration(7_530_000)).toBe('2 h 5 min');
  });
});

describe('findings repeated across schemas', () => {
  it('become one group with a count, largest first', () => {
    const groups = groupAcrossSchemas([
      { schema: 'tenant_b', name: 'orders_pkey' }, { schema: 'public', name: 'tenants_x' }, { schema: 'tenant_a', name: 'orders_pkey' }, { schema: 'tenant_c', name: 'orders_pkey' },
    ]);
    expect(groups).toEqual([{ name: 'orders_pkey', schemas: ['tenant_a', 'tenant_b', 'tenant_c'] }, { name: 'tenants_x', schemas: ['public'] }]);
    expect(describeGroups(groups)).toBe('orders_pkey in 3 schemas (tenant_a, tenant_b, …), public.tenants_x');
    expect(describeGroups(groups, 1)).toBe('orders_pkey in 3 schemas (tenant_a, tenant_b, …), and 1 more');
  });
});
