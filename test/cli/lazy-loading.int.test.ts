import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { runCliLoading } from '../support/loaded-modules.js';

/**
 * Issue 19 item 4: every command loads only what it runs. The built CLI (bin/ → dist/bundle)
 * runs with a loader hook that lists the files it loads; each bundle chunk's source map says
 * which source modules those were.
 */
describe('the built CLI loads only what a command runs', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('lazy');
    await migrateAll(db.sql);
  });
  afterAll(async () => db?.drop());

  const GROUP_MODULES = /^src\/commands\/(?!outline)/;

  it('--version and --help load no command group and no database driver', async () => {
    for (const args of [['--version'], ['--help']]) {
      const r = await runCliLoading(args);
      expect(r.code, r.stderr).toBe(0);
      expect(r.loaded).toContain('src/cli.ts');
      expect(r.loaded.filter((m) => GROUP_MODULES.test(m) || m.startsWith('node_modules/postgres'))).toEqual([]);
    }
  });

  it('`tenant create --help` registers the tenant group without loading postgres.js or any subcommand\'s code', async () => {
    const r = await runCliLoading(['tenant', 'create', '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.loaded).toContain('src/commands/tenant.ts');
    expect(r.loaded.filter((m) => /-run\.ts$|^node_modules\/postgres|^src\/tenants\/create\.ts$|^src\/commands\/migrate\.ts$/.test(m))).toEqual([]);
  });

  it('`tenant create` loads create\'s code, not that of erase, export, list, move, the migrate command, prompts or tables', async () => {
    const r = await runCliLoading(['tenant', 'create', 'lazy1', '--name', 'Lazy', '--plan', 'starter', '--owner-email', 'o@lazy1.test', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ slug: 'lazy1', schema: 'tenant_lazy1' });
    for (const needed of ['src/commands/tenant-create-run.ts', 'src/tenants/create.ts', 'node_modules/postgres/src/connection.js']) expect(r.loaded).toContain(needed);
    const unneeded = /tenant-(data|read|change)-run\.ts|src\/tenants\/(erase|export|read|receipts)\.ts|src\/commands\/migrate\.ts|src\/citus\/(move|rebalance)\.ts|@clack|cli-table3|csv-parse|csv-stringify/;
    expect(r.loaded.filter((m) => unneeded.test(m))).toEqual([]);
  });

  it('`tenant list` loads the listing code and not create\'s', async () => {
    const r = await runCliLoading(['tenant', 'list', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).map((t: { slug: string }) => t.slug)).toContain('lazy1');
    expect(r.loaded).toContain('src/commands/tenant-read-run.ts');
    expect(r.loaded.filter((m) => /tenant-(create|data|change)-run\.ts|src\/tenants\/create\.ts/.test(m))).toEqual([]);
  });

  it('every tenant subcommand still runs from its own chunk (each answers for itself, none fails to load)', async () => {
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
