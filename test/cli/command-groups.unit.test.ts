import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram, groupNamed, subcommandNamed } from '../../src/cli.js';
import { GROUP_OUTLINE } from '../../src/commands/outline.js';
import type { Io } from '../../src/context.js';
import { GROUPS } from '../../src/groups.js';

const argv = (...args: string[]) => ['node', 'tenantctl', ...args];

describe('command groups load on demand', () => {
  it('finds the group after global options, including the value of --database-url', () => {
    expect(groupNamed(argv('monitor', 'indexes'))).toBe('monitor');
    expect(groupNamed(argv('--json', '--database-url', 'postgres://x/monitor', 'tenant', 'list'))).toBe('tenant');
    expect(groupNamed(argv('--database-url=postgres://x/y', 'migrate', 'up'))).toBe('migrate');
    expect(groupNamed(argv('--profile', 'imsop', 'tenant', 'list'))).toBe('tenant');
  });

  it('loads no group for help, a bare call, and an unknown or misspelt command; `help <group>` loads that group', () => {
    expect(groupNamed(argv())).toBeUndefined();
    expect(groupNamed(argv('--help'))).toBeUndefined();
    expect(groupNamed(argv('--version'))).toBeUndefined();
    expect(groupNamed(argv('help'))).toBeUndefined();
    expect(groupNamed(argv('help', 'monitor'))).toBe('monitor');
    expect(groupNamed(argv('monitr'))).toBeUndefined();
    expect(groupNamed(argv('constructor'))).toBeUndefined();
  });

  it('knows the same groups, in the same order, in the outline (help, routing) as in the loaders', () => {
    expect(Object.keys(GROUP_OUTLINE)).toEqual(Object.keys(GROUPS));
  });

  it('finds the subcommand only right after the group, never after `help` or behind an option', () => {
    expect(subcommandNamed(argv('tenant', 'create', 'acme'))).toBe('create');
    expect(subcommandNamed(argv('--database-url', 'tenant', 'tenant', 'create'))).toBe('create');
    expect(subcommandNamed(argv('--json', 'tenant', 'list'))).toBe('list');
    expect(subcommandNamed(argv('tenant', '--json', 'create'))).toBeUndefined();
    expect(subcommandNamed(argv('help', 'tenant', 'create'))).toBeUndefined();
    expect(subcommandNamed(argv('tenant'))).toBeUndefined();
    expect(subcommandNamed(argv('creat'))).toBeUndefined();
  });

  const stream = new PassThrough();
  const io = { stdout: stream, stderr: stream, stdin: stream, env: {}, interactive: false, stderrIsTTY: false, color: false, now: () => new Date(), cwd: process.cwd() } as unknown as Io;

  // Every group loaded once (the slow part: all modules), shared by the tests below.
  let loaded: Command;
  beforeAll(async () => {
    loaded = await buildProgram(io, undefined, true);
  });

  it('registers only the named group, or all of them in help order', async () => {
    expect((await buildProgram(io, 'monitor')).commands.map((c) => c.name())).toEqual(['monitor']);
    const order = ['demo', 'db', 'migrate', 'import', 'export', 'backup', 'monitor', 'tenant', 'fixtures', 'maintain', 'profile', 'citus'];
    expect(loaded.commands.map((c) => c.name())).toEqual(order);
    expect((await buildProgram(io)).commands.map((c) => c.name())).toEqual(order);
  });

  it('`tenant create` registers only itself, with the same flags and help as in the whole group; anything else registers the whole group', async () => {
    const tenantOf = (program: Command) => program.commands.find((c) => c.name() === 'tenant')!;
    const alone = tenantOf(await buildProgram(io, 'tenant', false, 'create'));
    const whole = tenantOf(loaded);
    expect(alone.commands.map((c) => c.name())).toEqual(['create']);
    const create = (group: Command) => group.commands.find((c) => c.name() === 'create')!;
    expect(create(alone).helpInformation()).toBe(create(whole).helpInformation());
    for (const other of [undefined, 'list', 'creat', 'help']) {
      expect(tenantOf(await buildProgram(io, 'tenant', false, other)).commands.map((c) => c.name())).toEqual(whole.commands.map((c) => c.name()));
    }
  });

  it('prints the same top-level help from the outline as from every group loaded', async () => {
    expect((await buildProgram(io)).helpInformation()).toBe(loaded.helpInformation());
  });
});
