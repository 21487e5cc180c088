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

/** A group without its command, or `help <unknown>`, is a wrong command line: exit 2, help on stderr. */
describe('a command line that names no command', () => {
  it.each([
    ['migrate'], ['tenant'], ['db'], ['backup'], ['monitor'], ['fixtures'], ['profile'], ['citus'],
    ['tenant', 'pool'], ['tenant', 'workspace'],
  ])('%s alone is exit 2 with its help on stderr; --json prints the error document', async (...words) => {
    const human = await runCli(words);
    expect(human.code, human.stderr).toBe(2);
    expect(human.stdout).toBe('');
    expect(human.stderr).toContain(`Usage: tenantctl ${words.join(' ')} [options] [command]`);
    expect(human.stderr).toContain(`error: tenantctl ${words.join(' ')} needs a command`);
    const json = await runCli(['--json', ...words]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE', message: expect.stringContaining('needs a command') } });
  });

  it('help <unknown> and no command at all are exit 2; --help and help <command> stay 0', async () => {
    const unknown = await runCli(['--json', 'help', 'nosuch']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE', message: "unknown command 'nosuch'" } });
    const nothing = await runCli([]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('Usage: tenantctl [options] [command]');
    for (const words of [['help', 'tenant', 'nosuch'], ['help', 'tenant', 'pool', 'nosuch']]) {
      const topic = await runCli(['--json', ...words]);
      expect(topic.code, words.join(' ')).toBe(2);
      expect(JSON.parse(topic.stdout)).toMatchObject({ ok: false, error: { code: 'USAGE', message: "unknown command 'nosuch'" } });
    }
    for (const words of [['--help'], ['help'], ['help', 'migrate'], ['help', 'tenant', 'pool', 'fill'], ['migrate', '--help'], ['tenant', 'pool', '--help']]) {
      const help = await runCli(words);
      expect(help.code, words.join(' ')).toBe(0);
      expect(help.stdout).toContain('Usage: tenantctl');
    }
  });
});
