import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';

interface Outcome { schema: string; outcome: string; error?: { file: string; line: number; column: number; code: string; message: string } }

/** issue 12, item 4: a tenant migration may not alter, truncate or drop what is outside its schema. */
describe('integrity check: changes to relations outside the tenant schema', () => {
  let db: TestDatabase;
  const recorded = async (version: string) => ((await db.sql`select count(*)::int as n from tenantctl.schema_migrations where version = ${version} and scope = 'tenant'`)[0] as { n: number }).n;
  const columns = async (table: string) => (await db.sql`select column_name from information_schema.columns where table_schema = 'public' and table_name = ${table} order by ordinal_position`).map((r) => r.column_name as string);
  const rows = async (table: string) => ((await db.sql`select count(*)::int as n from ${db.sql('public')}.${db.sql(table)}`)[0] as { n: number }).n;
  const exists = async (qualified: string) => ((await db.sql`select to_regclass(${qualified}) is not null as e`)[0] as { e: boolean }).e;
  const up = async (files: Record<string, string>, extra: string[] = []) => {
    const dir = await migrationsWith(files);
    const r = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json', ...extra], { url: db.url });
    const report = JSON.parse(r.stdout) as { tenants: Outcome[]; ok: boolean };
    return { r, dir, report, h1: report.tenants.find((t) => t.schema === 'tenant_h1')! };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    for (const slug of ['h1', 'h2']) await addTenantRow(db.sql, slug);
    await migrateAll(db.sql);
    await db.sql`create table public.some_shared (id int primary key, x text)`;
    await db.sql`insert into public.some_shared select g, 'v' || g from generate_series(1, 5) g`;
    await db.sql`create table public.other (id int, body text)`;
    await db.sql`insert into public.other select g, repeat('b', 10) from generate_series(1, 3) g`;
  });
  afterAll(async () => db?.drop());

  it('ALTER … DROP COLUMN, TRUNCATE and DROP TABLE of shared tables, and DROP of another tenant\'s table, are rolled back with the reason', async () => {
    const cases: [string, string][] = [
      ['alter table public.some_shared drop column x;', 'it altered or truncated public.some_shared, outside tenant_h1; rolled back'],
      ['truncate public.some_shared;', 'it altered or truncated public.some_shared, public.some_shared_pkey, outside tenant_h1; rolled back'],
      ['drop table public.other;', 'relation(s) outside tenant_h1 (OIDs '],
      ['drop table tenant_h2.notification_logs;', 'relation(s) outside tenant_h1 (OIDs '],
      ['alter table public.tenants rename column name to company;', 'it altered or truncated public.tenants, outside tenant_h1'],
    ];
    for (const [statement, reason] of cases) {
      const { r, h1 } = await up({ 'tenant/0002_reach.sql': `-- migrate:up\ncreate table mine (id int);\n${statement}\n-- migrate:down\ndrop table mine;\n` }, ['--tenant', 'h1']);
      expect(r.code, statement).toBe(1);
      expect(h1.outcome, statement).toBe('failed');
      expect(h1.error!.code, statement).toBe('MIGRATION_INTEGRITY');
      expect(h1.error!.message, statement).toContain(reason);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    // Everything is as it was: the column, the rows, the tables; nothing of the migration kept.
    expect(await columns('some_shared')).toEqual(['id', 'x']);
    expect(await rows('some_shared')).toBe(5);
    expect(await rows('other')).toBe(3);
    expect(await exists('tenant_h2.notification_logs')).toBe(true);
    expect(await columns('tenants')).toContain('name');
    expect(await exists('tenant_h1.mine')).toBe(false);
    expect(await recorded('0002')).toBe(0);
  });

  it("rows written to tenantctl's bookkeeping or to the registry (another schema's history, another tenant's row) are rolled back with the reason", async () => {
    const history = async () => (await db.sql`select schema_name, version from tenantctl.schema_migrations order by 1, 2`).map((r) => `${r.schema_name}@${r.version}`);
    const before = await history();
    const registry = await db.sql`select slug, schema_name from public.tenants order by slug`;
    const cases: [string, string][] = [
      ["delete from tenantctl.schema_migrations where schema_name <> 'tenant_h1';", 'it wrote rows of tenantctl.schema_migrations'],
      ['delete from tenantctl.schema_state;', 'it wrote rows of tenantctl.schema_state'],
      ["update public.tenants set schema_name = 'public' where slug = 'h2';", 'it wrote rows of public.tenants'],
    ];
    for (const [statement, reason] of cases) {
      const { r, h1 } = await up({ 'tenant/0002_books.sql': `-- migrate:up\ncreate table mine (id int);\n${statement}\n-- migrate:down\ndrop table mine;\n` }, ['--tenant', 'h1']);
      expect(r.code, statement).toBe(1);
      expect(h1.error!.code, statement).toBe('MIGRATION_INTEGRITY');
      expect(h1.error!.message, statement).toContain(reason);
    }
    expect(await history()).toEqual(before);
    expect(await db.sql`select slug, schema_name from public.tenants order by slug`).toEqual(registry);
    expect(await exists('tenant_h1.mine')).toBe(false);
    // The same check inside tenant create's one transaction: nothing of the new tenant stays.
    const dir = await migrationsWith({ 'tenant/0002_books.sql': "-- migrate:up\ndelete from tenantctl.schema_migrations where schema_name <> current_schema();\n-- migrate:down\nselect 1;\n" });
    const created = await runCli(['tenant', 'create', 'booksco', '--name', 'Books Co', '--plan', 'starter', '--owner-email', 'o@books.test', '--migrations-dir', dir], { url: db.url });
    expect(created.code, created.stderr).toBe(1);
    expect(created.stderr).toContain('it wrote rows of tenantctl.schema_migrations');
    expect(await history()).toEqual(before);
    expect((await db.sql`select count(*)::int as n from public.tenants where slug = 'booksco'`)[0]!.n).toBe(0);
  });

  it('a tenant table with a foreign key to a shared table can be created and dropped (the shared table is locked, not changed)', async () => {
    const fk = '-- migrate:up\ncreate table picks (id int primary key, shared_id int references public.some_shared (id));\n-- migrate:down\ndrop table picks;\n';
    const { r, dir } = await up({ 'tenant/0002_fk.sql': fk }, ['--concurrency', '2']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await recorded('0002')).toBe(2);
    const down = await runCli(['migrate', 'down', '--tenants-only', '--yes', '--migrations-dir', dir], { url: db.url });
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(await recorded('0002')).toBe(0);
    expect(await exists('tenant_h1.picks')).toBe(false);
  });

  it('transaction:false: the statement that alters a shared table stops the run, named by file:line:column; what follows never runs', async () => {
    const file = '-- migrate:up transaction:false\ncreate index concurrently mine_note on notification_logs (id);\nalter table public.some_shared add column y int;\ncreate index concurrently never_runs on notification_logs (id);\n-- migrate:down transaction:false\ndrop index concurrently if exists mine_note;\n';
    const { r, dir, report, h1 } = await up({ 'tenant/0002_nontx.sql': file }, ['--concurrency', '1', '--continue-on-error']);
    expect(r.code).toBe(1);
    expect(h1.error).toMatchObject({ code: 'MIGRATION_INTEGRITY_COMMITTED', file: join(dir, 'tenant/0002_nontx.sql'), line: 3, column: 1 });
    expect(h1.error!.message).toContain('it altered or truncated public.some_shared, outside tenant_h1');
    expect(h1.error!.message).toContain('is committed; the run stopped here');
    // Stopped even with --continue-on-error: the other tenant was not touched.
    expect(report.tenants.find((t) => t.schema === 'tenant_h2')!.outcome).toBe('not-run');
    expect(await exists('tenant_h1.never_runs')).toBe(false);
    expect(await exists('tenant_h2.mine_note')).toBe(false);
    expect(await recorded('0002')).toBe(0);
    const status = JSON.parse((await runCli(['migrate', 'status', '--migrations-dir', dir, '--json'], { url: db.url })).stdout);
    expect(status.tenants.failed[0].failure.code).toBe('MIGRATION_INTEGRITY_COMMITTED');
    await db.sql`alter table public.some_shared drop column y`;
    await db.sql`drop index tenant_h1.mine_note`;
  });

  it('transaction:false: dropping a shared table is named; a well-behaved section runs in every tenant in parallel', async () => {
    await db.sql`create table public.scratch (id int)`;
    const { r, h1 } = await up({ 'tenant/0002_nontx.sql': '-- migrate:up transaction:false\ndrop table public.scratch;\n-- migrate:down transaction:false\nselect 1;\n' }, ['--tenant', 'h1']);
    expect(r.code).toBe(1);
    expect(h1.error).toMatchObject({ code: 'MIGRATION_INTEGRITY_COMMITTED', line: 2, column: 1 });
    expect(h1.error!.message).toContain('it dropped public.scratch, outside tenant_h1');
    const fine = await up({ 'tenant/0002_nontx.sql': '-- migrate:up transaction:false\ncreate index concurrently fine_idx on notification_logs (id);\nanalyze notification_logs;\n-- migrate:down transaction:false\ndrop index concurrently fine_idx;\n' }, ['--concurrency', '2']);
    expect(fine.r.code, fine.r.stdout + fine.r.stderr).toBe(0);
    expect(await recorded('0002')).toBe(2);
  });

  it('tenant create: a tenant migration that alters a shared table is refused and leaves nothing behind', async () => {
    const dir = await migrationsWith({ 'tenant/0002_reach.sql': '-- migrate:up\nalter table public.some_shared add column z int;\n-- migrate:down\nselect 1;\n' });
    await db.sql`delete from tenantctl.schema_migrations where version = '0002'`;
    const r = await runCli(['tenant', 'create', 'newco', '--name', 'New Co', '--plan', 'starter', '--owner-email', 'o@newco.test', '--migrations-dir', dir], { url: db.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('it altered or truncated public.some_shared, outside tenant_newco');
    expect(await columns('some_shared')).toEqual(['id', 'x']);
    expect((await db.sql`select count(*)::int as n from public.tenants where slug = 'newco'`)[0]!.n).toBe(0);
  });
});
