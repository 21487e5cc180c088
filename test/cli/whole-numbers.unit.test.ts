import { describe, expect, it } from 'vitest';
import { nonNegativeInt, positiveInt } from '../../src/commands/shared.js';

// A count flag takes decimal digits only. Number() alone read "" as 0: `--keep-days "$KEEP"`
// with KEEP unset in a cron line pruned every backup.
describe('whole-number flags', () => {
  const keepDays = nonNegativeInt('--keep-days');
  it('takes decimal digits', () => {
    expect(keepDays('0')).toBe(0);
    expect(keepDays('30')).toBe(30);
    expect(keepDays('007')).toBe(7);
    expect(positiveInt('--limit')('2147483647')).toBe(2147483647);
  });
  it.each(['', ' ', '\t', '0x10', '1e3', '1.5', '-1', '+3', ' 3', '3 ', 'abc', '2147483648', 'Infinity'])('refuses %j, naming the flag and the value', (value) => {
    expect(() => keepDays(value)).toThrow(`--keep-days must be a whole number from 0 to 2147483647 (got "${value}").`);
  });
  it('refuses 0 where the flag must be positive', () => {
    expect(() => positiveInt('--limit')('0')).toThrow('--limit must be a whole number from 1');
  });
});
