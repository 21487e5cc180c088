import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildProgram, groupNamed } from '../../src/cli.js';
import type { Io } from '../../src/context.js';

const argv = (...args: string[]) => ['node', 'tenantctl', ...args];

describe('command groups load on demand', () => {
  it('finds the group after global options, including the value of --database-url', () => {
    expect(groupNamed(argv('monitor', 'indexes'))).toBe('monitor');
    expect(groupNamed(argv('--json', '--database-url', 'postgres://x/monitor', 'tenant', 'list'))).toBe('tenant');
    expect(groupNamed(argv('--database-url=postgres://x/y', 'migrate', 'up'))).toBe('migrate');
    expect(groupNamed(argv('--profile', 'imsop', 'tenant', 'list'))).toBe('tenant');
  });

  it('loads every group for help, a bare call, and an unknown or misspelt command', () => {
    expect(groupNamed(argv())).toBeUndefined();
    expect(groupNamed(argv('--help'))).toBeUndefined();
    expect(groupNamed(argv('help', 'monitor'))).toBeUndefined();
    expect(groupNamed(argv('monitr'))).toBeUndefined();
    expect(groupNamed(argv('constructor'))).toBeUndefined();
  });

  it('registers only the named group, or all of them in help order', async () => {
    const stream = new PassThrough();
    const io = { stdout: stream, stderr: stream, stdin: stream, env: {}, interactive: false, stderrIsTTY: false, color: false, now: () => new Date(), cwd: process.cwd() } as unknown as Io;
    expect((await buildProgram(io, 'monitor')).commands.map((c) => c.name())).toEqual(['monitor']);
    expect((await buildProgram(io)).commands.map((c) => c.name())).toEqual(['demo', 'db', 'migrate', 'import', 'export', 'backup', 'monitor', 'tenant', 'fixtures', 'maintain', 'profile', 'citus']);
  });
});
