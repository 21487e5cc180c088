import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/** Scripts that pass --json parse stdout whatever happened: a usage error is a JSON document too. */
describe('--json on a command line that does not parse', () => {
  it.each([
    [['tenant', 'lst', '--json'], /unknown command 'lst'/],
    [['--json', 'migrate', 'up', '--concurrency', 'many'], /--concurrency/],
    [['tenant', 'show', '--json'], /missing required argument 'tenant'/],
    [['monitor', 'indexes', '--json', '--warnign'], /unknown option '--warnign'/],
  ])('%j prints {ok:false, error} on stdout and exits 2', async (args, message) => {
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringMatching(message) } });
    expect(r.stderr).toMatch(message);
  });

  it('a command line without --json keeps stdout empty', async () => {
    const r = await runCli(['tenant', 'lst']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('a typo in a subcommand says so, suggests the command and where the usage is, without the whole help', async () => {
    const r = await runCli(['tenant', 'lst']);
    expect(r.stderr).toBe("error: unknown command 'lst'\n(Did you mean list?)\n(run `tenantctl tenant --help` for its commands)\n");
  });
});

/** monitor check's usage errors are Nagios UNKNOWN (3); stdout still holds only the format asked for. */
describe('monitor check on a command line that does not parse', () => {
  it.each([
    [['monitor', 'check', '--json', '--bogus'], /unknown option '--bogus'/],
    [['--json', 'monitor', 'check', '--csv'], /--json and --csv each choose/],
  ])('%j prints one JSON document and exits 3', async (args, message) => {
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringMatching(message) } });
  });

  it('--prometheus prints the UNKNOWN state as metrics, nothing else', async () => {
    const r = await runCli(['monitor', 'check', '--prometheus', '--bogus']);
    expect(r.code).toBe(3);
    const lines = r.stdout.trim().split('\n');
    expect(lines.every((line) => /^# (HELP|TYPE) tenantctl_\w+ /.test(line) || /^tenantctl_\w+(\{[^}]*\})? \S+$/.test(line)), r.stdout).toBe(true);
    expect(r.stdout).toMatch(/^tenantctl_check_overall_status 3$/m);
  });

  it('--csv keeps stdout empty; plain output keeps the Nagios line', async () => {
    const csv = await runCli(['monitor', 'check', '--csv', '--bogus']);
    expect(csv.code).toBe(3);
    expect(csv.stdout).toBe('');
    const plain = await runCli(['monitor', 'check', '--bogus']);
    expect(plain.stdout).toBe("UNKNOWN: unknown option '--bogus'\n");
  });
});
