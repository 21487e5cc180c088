import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli.js';
import type { Io } from '../../src/context.js';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { BUILTIN_PROFILES } from '../../src/tenancy/profiles/index.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/**
 * bin/tenantctl runs the esbuild bundle (scripts/bundle.mjs): a router, then one file per
 * command group. Every group must still find what it loads at run time from there: its
 * chunk, SQL files, migrations, fixtures, CommonJS dependencies, the fixtures worker thread.
 */
const GROUPS = ['demo', 'db', 'migrate', 'import', 'export', 'backup', 'monitor', 'tenant', 'fixtures', 'maintain'];

describe('every command group runs from the built CLI', () => {
  let db: TestDatabase;
  const work = mkdtempSync(join(tmpdir(), 'tenantctl-built-'));
  beforeAll(async () => {
    db = await createTestDatabase('built');
  });
  afterAll(async () => db?.drop());
  const cli = (...args: string[]) => runCli([...args, '--json'], { url: db.url, cwd: work, env: { TENANTCTL_HOME: join(work, 'home') } });

  it.each(GROUPS)('%s --help prints its usage', async (group) => {
    const r = await runCli([group, '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Usage: tenantctl ${group}`);
  });

  it('top-level --help lists every group and --version prints the version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const group of GROUPS) expect(help.stdout).toMatch(new RegExp(`^  ${group}\\b`, 'm'));
    // --profile names every profile there is (the text is written out, so nothing loads to print it).
    const profileHelp = help.stdout.replace(/\s+/g, ' ').match(/--profile <name> tenancy profile: ([^(]*)\(/)![1]!;
    expect(profileHelp.split(',').map((n) => n.trim()).filter(Boolean).sort()).toEqual(BUILTIN_PROFILES.map((p) => p.name).sort());
    const version = await runCli(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('prints, for every command, the same --help as the program with every group and action loaded', async () => {
    const captured = () => {
      const stream = new PassThrough();
      let text = '';
      stream.on('data', (c: Buffer) => (text += c.toString()));
      const io = { stdout: stream, stderr: stream, stdin: new PassThrough(), env: {}, interactive: false, stderrIsTTY: false, color: false, now: () => new Date(), cwd: work } as unknown as Io;
      return { io, text: () => text, clear: () => (text = '') };
    };
    const loaded = captured();
    const full = await buildProgram(loaded.io, undefined, true);
    const paths: [string[], Command][] = [];
    const walk = (command: Command, path: string[]) => command.commands.forEach((sub) => (paths.push([[...path, sub.name()], sub]), walk(sub, [...path, sub.name()])));
    walk(full, []);
    expect(paths.length).toBeGreaterThan(60);
    // The bundle's main, in this process, from the file bin/tenantctl.js would choose: each call
    // registers only the group it names, as a run does.
    const bundled = async (file: string) => (await import(join(PACKAGE_ROOT, 'dist', 'bundle', file))) as { main: (argv: string[], io: Io) => Promise<number> };
    const route = (await import(join(PACKAGE_ROOT, 'dist', 'bundle', 'route.js'))) as { groupNamed: (argv: string[]) => string | undefined };
    for (const [path, command] of paths) {
      const out = captured();
      const argv = ['node', 'tenantctl', ...path, '--help'];
      expect(route.groupNamed(argv), path.join(' ')).toBe(path[0]);
      const bundle = await bundled(`group-${route.groupNamed(argv)}.cjs`);
      expect(await bundle.main(argv, out.io), path.join(' ')).toBe(0);
      loaded.clear();
      command.outputHelp(); // help text plus what addHelpText adds, as --help prints it
      expect(out.text(), path.join(' ')).toBe(loaded.text());
    }
  });

  it('runs one real command of each group, in the order a newcomer would', async () => {
    const demo = await cli('demo');
    expect(demo.code, demo.stderr).toBe(0);
    expect(JSON.parse(demo.stdout).tenants.map((t: { slug: string }) => t.slug)).toEqual(['acme', 'globex', 'initech']);

    const status = await cli('migrate', 'status');
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).tenants).toMatchObject({ total: 3, atLatest: 3 });

    const list = await cli('tenant', 'list');
    expect(JSON.parse(list.stdout).map((t: { slug: string }) => t.slug)).toEqual(['acme', 'globex', 'initech']);

    const imported = await cli('import', 'products', join(PACKAGE_ROOT, 'fixtures', 'products.csv'), '--tenant', 'globex');
    expect(imported.code, imported.stderr).toBe(0);
    const exported = await cli('export', 'products', '--tenant', 'globex', '--out', join(work, 'products.csv'));
    expect(exported.code, exported.stderr).toBe(0);

    // Generating rows runs in a worker thread started from the bundle's own chunk.
    const generated = await cli('fixtures', 'generate', '--tenants', '2', '--products', '5', '--orders', '5');
    expect(generated.code, generated.stderr).toBe(0);

    const cache = await cli('monitor', 'cache');
    expect(cache.code, cache.stderr).toBe(0);
    const maintain = await cli('maintain', '--dry-run');
    expect(maintain.code, maintain.stderr).toBe(0);
    const backups = await cli('backup', 'log');
    expect(backups.code, backups.stderr).toBe(0);
    const embedded = await cli('db', 'status');
    expect(JSON.parse(embedded.stdout)).toMatchObject({ initialised: false, running: false });
  });
});
