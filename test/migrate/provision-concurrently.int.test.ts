import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';

// A tenant migration marked transaction:false for CREATE INDEX CONCURRENTLY (the documented
// way) used to stop every `tenant create` once the warm pool was empty: provisioning runs every
// tenant migration in one transaction. On the new schema it now runs without the word.
describe('provisioning with a transaction:false tenant migration', () => {
  let db: TestDatabase;
  const create = (slug: string, dir: string) => runCli(['tenant', 'create', slug, '--name', slug, '--plan', 'starter', '--owner-email', `o@${slug}.test`, '--migrations-dir', dir, '--json'], { url: db.url });

  beforeAll(async () => {
    db = await createTestDatabase('provc');
  });
  afterAll(async () => db.drop());

  it('creates the tenant, with the index valid and the file recorded as applied', async () => {
    const dir = await migrationsWith({ 'tenant/0002_idx.sql': '-- migrate:up transaction:false\ncreate index concurrently if not exists products_name_idx on products (name);\n-- migrate:down transaction:false\ndrop index concurrently if exists products_name_idx;\n' });
    expect((await runCli(['migrate', 'up', '--migrations-dir', dir], { url: db.url })).code).toBe(0);
    const r = await create('cc1', dir);
    expect(r.code, r.stderr).toBe(0);
    const [index] = await db.sql`select i.indisvalid from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'tenant_cc1' and c.relname = 'products_name_idx'`;
    expect(index).toEqual({ indisvalid: true });
    const status = JSON.parse((await runCli(['migrate', 'status', '--migrations-dir', dir, '--json'], { url: db.url })).stdout);
    expect(JSON.stringify(status)).not.toMatch(/"pending":\s*[1-9]/);
    expect(await db.sql`select version from tenantctl.schema_migrations where schema_name = 'tenant_cc1' order by version`).toEqual([{ version: '0001' }, { version: '0002' }]);
    expect((await runCli(['migrate', 'verify', '--migrations-dir', dir], { url: db.url })).code).toBe(0);
  });

  it('refuses a file that cannot run in a transaction at all, naming it, and creates nothing', async () => {
    const dir = await migrationsWith({ 'tenant/0002_idx.sql': '-- migrate:up transaction:false\ncreate index concurrently if not exists products_name_idx on products (name);\n-- migrate:down transaction:false\ndrop index concurrently if exists products_name_idx;\n', 'tenant/0003_vacuum.sql': '-- migrate:up transaction:false\nvacuum;\n-- migrate:down\n' });
    expect((await runCli(['migrate', 'up', '--migrations-dir', dir], { url: db.url })).code).toBe(0);
    const r = await create('cc2', dir);
    expect(r.code).not.toBe(0);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'MIGRATION_NEEDS_NO_TRANSACTION' });
    expect(r.stdout).toContain('0003_vacuum.sql');
    expect(await db.sql`select 1 from pg_namespace where nspname = 'tenant_cc2'`).toHaveLength(0);
    expect(await db.sql`select 1 from public.tenants where slug = 'cc2'`).toHaveLength(0);
  });
});
