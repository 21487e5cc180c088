import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { runCliLoading } from '../support/loaded-modules.js';

/**
 * Issue 19 item 4: every command loads only what it runs. The built CLI (bin/ → dist/bundle,
 * scripts/bundle.mjs) loads the router and then one file: its command group's (through the
 * loader that runs it with V8's code cache), or for --version and --help the outline's. The
 * runs go with a loader hook that lists the files they load (sorted: the module hooks report
 * from a thread of their own, so their lines and the group file's can come in either order);
 * each file's source map says which source modules those hold.
 */
describe('the built CLI loads only what a command runs', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('lazy');
    await migrateAll(db.sql);
  });
  afterAll(async () => db?.drop());

  const GROUP_MODULES = /^src\/commands\/(?!outline)/;
  /** The modules of every command group but `group`'s own. */
  const otherGroups = (group: string) => new RegExp(`^src/commands/(?!${group}\\b)(demo|db|migrate|import|export|backup|monitor|tenant|fixtures|maintain|profile|citus)\\.ts$`);
  /** Loaded on use only (a prompt, a table for people, CSV), never by a --json run that needs none. */
  const ON_USE = /@clack|cli-table3|csv-parse|csv-stringify/;

  it('--version and --help load no command group and no database driver', async () => {
    for (const args of [['--version'], ['--help']]) {
      const r = await runCliLoading(args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.files[0]).toBe('route.js');
      expect(r.files).toContain('cli.js');
      expect(r.files.filter((f) => f.startsWith('group-'))).toEqual([]);
      expect(r.loaded).toContain('src/cli.ts');
      expect(r.loaded.filter((m) => GROUP_MODULES.test(m) || m.startsWith('node_modules/postgres'))).toEqual([]);
    }
  });

  it('`tenant create --help` loads the router and the tenant group\'s file, nothing of another group', async () => {
    const r = await runCliLoading(['tenant', 'create', '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.files.sort()).toEqual(['bundle-loader.js', 'group-tenant.cjs', 'route.js']);
    expect(r.loaded).toContain('src/commands/tenant.ts');
    expect(r.loaded.filter((m) => otherGroups('tenant').test(m) || ON_USE.test(m))).toEqual([]);
  });

  it('`tenant create` runs from those two files, with postgres.js bundled (nothing read from node_modules)', async () => {
    const r = await runCliLoading(['tenant', 'create', 'lazy1', '--name', 'Lazy', '--plan', 'starter', '--owner-email', 'o@lazy1.test', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ slug: 'lazy1', schema: 'tenant_lazy1' });
    expect(r.files.sort()).toEqual(['bundle-loader.js', 'group-tenant.cjs', 'route.js']);
    for (const needed of ['src/commands/tenant-create-run.ts', 'src/tenants/create.ts', 'node_modules/postgres/src/connection.js', 'node_modules/postgres/src/types.js']) expect(r.loaded).toContain(needed);
    // Outside the bundle: nothing (postgres.js's array codecs come from its bundled copy, scripts/bundle.mjs).
    expect(r.loaded.filter((m) => m.startsWith('node_modules/') && !/^node_modules\/(postgres|commander|dotenv)\//.test(m))).toEqual([]);
    expect(r.loaded.filter((m) => otherGroups('tenant').test(m) || ON_USE.test(m))).toEqual([]);
  });

  it('`migrate status` and `monitor check` each load their own group\'s file only', async () => {
    for (const [group, args] of [['migrate', ['migrate', 'status', '--json']], ['monitor', ['monitor', 'check', '--json']]] as const) {
      const r = await runCliLoading([...args], { url: db.url });
      expect(r.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find module/);
      expect(r.files.sort()).toEqual(['bundle-loader.js', `group-${group}.cjs`, 'route.js']);
      expect(r.loaded.filter((m) => otherGroups(group).test(m) || ON_USE.test(m))).toEqual([]);
    }
  });

  it('`fixtures generate` starts its worker thread from the bundle\'s own worker file', async () => {
    const r = await runCliLoading(['fixtures', 'generate', '--tenants', '1', '--products', '2', '--orders', '2', '--seed', '11', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.files.sort()).toEqual(['bundle-loader.js', 'generator-thread.js', 'group-fixtures.cjs', 'route.js']);
  });

  it('every tenant subcommand still runs from the group file (each answers for itself, none fails to load)', async () => {
    const cli = (...args: string[]) => runCli([...args, '--json'], { url: db.url });
    const expectRan = (r: Awaited<ReturnType<typeof cli>>, code = 0) => {
      expect(r.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find module|INTERNAL/);
      expect(r.code, r.stderr).toBe(code);
    };
    expectRan(await cli('tenant', 'show', 'lazy1'));
    expectRan(await cli('tenant', 'suspend', 'lazy1', '--reason', 'test'));
    expectRan(await cli('tenant', 'resume', 'lazy1', '--reason', 'test'));
    expectRan(await cli('tenant', 'plan', 'lazy1', 'professional', '--reason', 'test'));
    expectRan(await cli('tenant', 'features', 'lazy1'));
    expectRan(await cli('tenant', 'erase', 'lazy1', '--dry-run'));
    expectRan(await cli('tenant', 'receipts'));
    expectRan(await cli('tenant', 'pool', 'status'));
    // Citus and workspace commands load their code, then refuse this database / profile for what it is.
    for (const args of [['tenant', 'rebalance', '--dry-run'], ['tenant', 'workspace', 'list', 'lazy1'], ['citus', 'check']]) {
      const r = await cli(...args);
      expect(r.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND|Cannot find module/);
      expect(r.stdout ? JSON.parse(r.stdout).error?.code : undefined, `${args.join(' ')}: ${r.stderr}`).not.toBe('INTERNAL');
    }
  });
});
