import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';

const SLUGS = ['g1', 'g2', 'g3', 'g4'];

/** issue 12, item 4: what a transactional migration may not do, found before it runs or before it commits. */
describe('migration guard rails', () => {
  let db: TestDatabase;
  const recorded = async (version: string) => ((await db.sql`select count(*)::int as n from tenantctl.schema_migrations where version = ${version} and scope = 'tenant'`)[0] as { n: number }).n;
  const tablesNamed = async (name: string) => ((await db.sql`select count(*)::int as n from pg_tables where tablename = ${name}`)[0] as { n: number }).n;

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    for (const slug of SLUGS) await addTenantRow(db.sql, slug);
    await migrateAll(db.sql);
  });
  afterAll(async () => db.drop());

  it('a COMMIT; in a transactional file is refused with its location before anything runs', async () => {
    const dir = await migrationsWith({ 'tenant/0002_commit.sql': '-- migrate:up\ncreate table ran_before (id int);\nCOMMIT;\ncreate table ran_after (id int);\n-- migrate:down\ndrop table ran_after;\n' });
    const r = await runCli(['migrate', 'up', '--migrations-dir', dir], { url: db.url });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'tenant/0002_commit.sql')}:3:1: the up section runs in one transaction`);
    expect(r.stderr).toContain('transaction control (COMMIT)');
    expect(r.stderr).toContain('-- migrate:up transaction:false');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await tablesNamed('ran_before')).toBe(0);
    expect(await tablesNamed('ran_after')).toBe(0);
    expect(await recorded('0002')).toBe(0);
    // migrate status reads the same files: it names the problem too, instead of planning around it.
    expect((await runCli(['migrate', 'status', '--migrations-dir', dir], { url: db.url })).code).toBe(1);
  });

  it('SET search_path in a tenant migration is refused with its location and the hint to qualify names', async () => {
    const dir = await migrationsWith({ 'tenant/0002_path.sql': '-- migrate:up\nset search_path = public;\ncreate table landed_where (id int);\n-- migrate:down\ndrop table landed_where;\n' });
    const r = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(r.code).toBe(1);
    const { error } = JSON.parse(r.stdout);
    expect(error).toMatchObject({ code: 'MIGRATION_SEARCH_PATH', details: { line: 2, column: 1 } });
    expect(error.hint).toContain('Qualify names');
    expect(await tablesNamed('landed_where')).toBe(0);
  });

  it('set_config($$search_path$$, …) in a tenant migration is refused before it runs: no tenant writes into another tenant\'s schema', async () => {
    const products = async () => (await db.sql`select count(*)::int as n from tenant_g1.products`)[0]!.n as number;
    const before = await products();
    const file = "-- migrate:up\nselect pg_catalog.set_config($$search_path$$, $$tenant_g1$$, true);\ninsert into products (sku, name) values ('LEAK-' || txid_current(), 'leak');\n-- migrate:down\nselect 1;\n";
    const dir = await migrationsWith({ 'tenant/0002_hop.sql': file });
    const r = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(r.code).toBe(1);
    const { error } = JSON.parse(r.stdout);
    expect(error).toMatchObject({ code: 'MIGRATION_SEARCH_PATH', details: { line: 2, column: 19 } });
    expect(error.message).toContain('a change of search_path (set_config)');
    expect(await products()).toBe(before);
    expect(await recorded('0002')).toBe(0);
  });

  it('a tenant migration that drops public.tenants is rolled back with a clear error, and tenant list still works', async () => {
    const dir = await migrationsWith({ 'tenant/0002_drop_registry.sql': '-- migrate:up\ncreate table t_new (id int);\ndrop table public.tenants cascade;\n-- migrate:down\ndrop table t_new;\n' });
    const r = await runCli(['migrate', 'up', '--migrations-dir', dir, '--continue-on-error'], { url: db.url });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('it dropped the tenant registry public.tenants; rolled back');
    expect(r.stdout).toContain(`0 migrated · 0 unchanged · ${SLUGS.length} failed`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await tablesNamed('t_new')).toBe(0);
    expect(await recorded('0002')).toBe(0);
    const list = await runCli(['tenant', 'list', '--json'], { url: db.url });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).map((t: { slug: string }) => t.slug)).toEqual(SLUGS);
    const status = JSON.parse((await runCli(['migrate', 'status', '--migrations-dir', dir, '--json'], { url: db.url })).stdout);
    // Two workers whose migrations both drop public.tenants can deadlock on its lock: the server
    // then picks one of them, which is reported as that (a transient failure), not as the check's.
    const codes: string[] = status.tenants.failed.map((f: { failure: { code: string } }) => f.failure.code);
    expect(codes).toContain('MIGRATION_INTEGRITY');
    expect(codes.filter((c) => c !== 'MIGRATION_INTEGRITY' && c !== '40P01')).toEqual([]);
  });

  it('a shared migration that drops or renames the registry is rolled back, in a transaction or not, and every tenant stays in sight', async () => {
    const fleet = async () => (JSON.parse((await runCli(['tenant', 'list', '--json'], { url: db.url })).stdout) as { slug: string }[]).map((t) => t.slug);
    for (const [file, text] of [
      ['shared/0003_drop_registry.sql', '-- migrate:up\ncreate table public.kept_or_not (id int);\ndrop table public.tenants cascade;\n-- migrate:down\nselect 1;\n'],
      ['shared/0003_rename_registry.sql', '-- migrate:up\nalter table public.tenants rename to tenants_old;\n-- migrate:down\nselect 1;\n'],
    ] as const) {
      const r = await runCli(['migrate', 'up', '--migrations-dir', await migrationsWith({ [file]: text }), '--shared-only'], { url: db.url });
      expect(r.code, file).toBe(1);
      expect(r.stdout + r.stderr, file).toContain('it dropped, renamed or moved the tenant registry public.tenants');
      expect(await tablesNamed('kept_or_not')).toBe(0);
      expect((await db.sql`select count(*)::int as n from tenantctl.schema_migrations where scope = 'shared' and version = '0003'`)[0]!.n).toBe(0);
      expect(await fleet()).toEqual(SLUGS);
    }
    // Outside a transaction the statement is committed: the run stops there, says so, and records nothing.
    const dir = await migrationsWith({ 'shared/0003_rename_registry.sql': '-- migrate:up transaction:false\nalter table public.tenants rename to tenants_old;\n-- migrate:down\nalter table public.tenants_old rename to tenants;\n' });
    const r = await runCli(['migrate', 'up', '--migrations-dir', dir, '--shared-only', '--json'], { url: db.url });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).shared.error).toMatchObject({ code: 'MIGRATION_INTEGRITY_COMMITTED' });
    expect((await db.sql`select count(*)::int as n from tenantctl.schema_migrations where scope = 'shared' and version = '0003'`)[0]!.n).toBe(0);
    await db.sql`alter table public.tenants_old rename to tenants`;
    // A shared migration may still change the registry (and drop a table of its own).
    const fine = await migrationsWith({ 'shared/0003_registry_note.sql': '-- migrate:up\nalter table public.tenants add column note text;\n-- migrate:down\nalter table public.tenants drop column note;\n' });
    expect((await runCli(['migrate', 'up', '--migrations-dir', fine, '--shared-only'], { url: db.url })).code).toBe(0);
    expect((await runCli(['migrate', 'down', '--migrations-dir', fine, '--shared-only', '--to', '0002', '--yes'], { url: db.url })).code).toBe(0);
    expect(await fleet()).toEqual(SLUGS);
  });

  it('a tenant migration that creates objects in public, or deletes its registry row, is rolled back', async () => {
    const dir = await migrationsWith({ 'tenant/0002_outside.sql': '-- migrate:up\ncreate table mine (id int);\ncreate table public.leaked (id int);\ncreate function public.leaked_fn() returns int language sql as $$ select 1 $$;\n-- migrate:down\ndrop table mine;\n' });
    const r = await runCli(['migrate', 'up', '--migrations-dir', dir, '--tenant', 'g1'], { url: db.url });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('it created objects outside tenant_g1: public.leaked (table or index), public.leaked_fn (function)');
    expect(await tablesNamed('leaked')).toBe(0);
    expect(await tablesNamed('mine')).toBe(0);
    const gone = await migrationsWith({ 'tenant/0002_unregister.sql': "-- migrate:up\ndelete from public.tenants where schema_name = current_schema();\n-- migrate:down\nselect 1;\n" });
    const r2 = await runCli(['migrate', 'up', '--migrations-dir', gone, '--tenant', 'g2'], { url: db.url });
    expect(r2.code).toBe(1);
    expect(r2.stdout).toContain('it removed the registry row of tenant_g2 from public.tenants');
    expect((await db.sql`select count(*)::int as n from public.tenants`)[0]!.n).toBe(SLUGS.length);
  });

  it('a well-behaved migration across tenants in parallel is not mistaken for one that leaks (other tenants commit meanwhile)', async () => {
    const dir = await migrationsWith({ 'tenant/0002_fine.sql': '-- migrate:up\ncreate table fine (id serial primary key, note text);\ncreate index fine_note on fine (note);\ncreate function fine_fn() returns int language sql as $$ select 1 $$;\n-- migrate:down\ndrop function fine_fn();\ndrop table fine;\n' });
    const r = await runCli(['migrate', 'up', '--migrations-dir', dir, '--concurrency', '4'], { url: db.url });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await recorded('0002')).toBe(SLUGS.length);
    const down = await runCli(['migrate', 'down', '--migrations-dir', dir, '--tenants-only', '--yes'], { url: db.url });
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(await recorded('0002')).toBe(0);
  });

  it('tenant create with a leaking tenant migration is refused and leaves nothing behind', async () => {
    const dir = await migrationsWith({ 'tenant/0002_outside.sql': '-- migrate:up\ncreate table public.leaked_on_create (id int);\n-- migrate:down\nselect 1;\n' });
    const r = await runCli(['tenant', 'create', 'newco', '--name', 'New Co', '--plan', 'starter', '--owner-email', 'o@newco.test', '--migrations-dir', dir], { url: db.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('it created objects outside tenant_newco: public.leaked_on_create');
    expect(await tablesNamed('leaked_on_create')).toBe(0);
    expect((await db.sql`select count(*)::int as n from public.tenants where slug = 'newco'`)[0]!.n).toBe(0);
    expect((await db.sql`select count(*)::int as n from pg_namespace where nspname = 'tenant_newco'`)[0]!.n).toBe(0);
  });

  // Last: it applies a migration (0009) to every tenant.
  // Only the files a run applies are split and linted: the rest of the folder's history is not re-read on every run.
  it('a refused file beyond --to does not stop the run up to --to, and still stops the run that would apply it', async () => {
    const dir = await migrationsWith({
      'tenant/0009_fine.sql': '-- migrate:up\ncreate table lint_fine (id int);\n-- migrate:down\ndrop table lint_fine;\n',
      'tenant/0010_commit.sql': '-- migrate:up\ncreate table lint_refused (id int);\nCOMMIT;\n-- migrate:down\ndrop table lint_refused;\n',
    });
    const upTo = await runCli(['migrate', 'up', '--migrations-dir', dir, '--to', '0009'], { url: db.url });
    expect(upTo.code, upTo.stderr).toBe(0);
    expect(await tablesNamed('lint_fine')).toBe(SLUGS.length);
    const all = await runCli(['migrate', 'up', '--migrations-dir', dir], { url: db.url });
    expect(all.code).toBe(1);
    expect(all.stderr).toContain(`${join(dir, 'tenant/0010_commit.sql')}:3:1: the up section runs in one transaction`);
    expect(await tablesNamed('lint_refused')).toBe(0);
    expect(await recorded('0010')).toBe(0);
  });
});
