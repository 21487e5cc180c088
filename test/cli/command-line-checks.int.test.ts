import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/** No server is reached: the command line is refused before anything connects. */
const NOWHERE = 'postgresql://nobody@127.0.0.1:1/none';

describe('an option that takes one value, given twice', () => {
  it('is refused before anything runs, naming both values: --confirm on erase, --tenant on import, a global option', async () => {
    for (const [args, flag, values] of [
      [['tenant', 'erase', 'tc', '--yes', '--confirm', 'ta', '--confirm', 'tc', '--reason', 'x'], '--confirm', '("ta", "tc")'],
      [['import', 'products', 'p.csv', '--tenant', 'ta', '--tenant=tb'], '--tenant', '("ta", "tb")'],
      [['--database-url', NOWHERE, 'tenant', 'list', '--database-url', 'postgresql://other@127.0.0.1:1/x'], '--database-url', '2 times'],
    ] as const) {
      const r = await runCli([...args], { url: NOWHERE });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`${flag} was given 2 times`);
      expect(r.stderr).toContain(values);
      expect(r.stderr).not.toContain('Cannot connect');
    }
  });

  it('leaves options meant to repeat alone, and a value that looks like an option', async () => {
    const repeat = await runCli(['migrate', 'status', '--tenant', 'a', '--tenant', 'b'], { url: NOWHERE });
    expect(repeat.stderr).not.toContain('was given');
    expect(repeat.stderr).toContain('Cannot connect');
    const once = await runCli(['tenant', 'erase', 'tc', '--yes', '--confirm', 'tc', '--reason', '--confirm'], { url: NOWHERE });
    expect(once.stderr).not.toContain('was given');
  });
  it('two output formats at once are refused; monitor check says UNKNOWN on its first line (Nagios), never a false CRITICAL', async () => {
    const report = await runCli(['monitor', 'connections', '--json', '--csv'], { url: NOWHERE });
    expect(report.code).toBe(2);
    expect(report.stderr).toContain('--json and --csv each choose what standard output holds');
    const check = await runCli(['monitor', 'check', '--prometheus', '--csv'], { url: NOWHERE });
    expect(check.code).toBe(3);
    expect(check.stdout.split('\n')[0]).toBe('UNKNOWN: --csv and --prometheus each choose what standard output holds; give one of them (nothing was changed).');
    const twice = await runCli(['monitor', 'check', '--config', 'a.json', '--config', 'b.json'], { url: NOWHERE });
    expect(twice.code).toBe(3);
    expect(twice.stdout).toMatch(/^UNKNOWN: --config was given 2 times/);
  });
});
