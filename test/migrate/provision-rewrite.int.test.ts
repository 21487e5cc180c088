import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';

/**
 * Provisioning runs every tenant migration in one transaction. A table rewrite (ALTER … TYPE)
 * builds a transient heap, toast table and toast index and drops them; their locks stay until
 * commit, and the next file's integrity check must not take them for relations it dropped
 * outside the new schema.
 */
describe('tenant create after a migration that rewrites a table', () => {
  let db: TestDatabase;
  const widen = '-- migrate:up\nalter table products alter column weight_grams type bigint;\n-- migrate:down\nalter table products alter column weight_grams type integer;\n';
  const note = '-- migrate:up\nalter table orders add column note2 text;\n-- migrate:down\nalter table orders drop column note2;\n';

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('the files after the rewrite run, and the tenant is created', async () => {
    const dir = await migrationsWith({ 'tenant/0002_widen.sql': widen, 'tenant/0003_note.sql': note });
    const up = await runCli(['migrate', 'up', '--migrations-dir', dir], { url: db.url });
    expect(up.code, up.stderr + up.stdout).toBe(0);
    const r = await runCli(['tenant', 'create', 'acme', '--name', 'Acme', '--plan', 'starter', '--owner-email', 'a@acme.test', '--migrations-dir', dir], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    const applied = await db.sql`select version from tenantctl.schema_migrations where schema_name = 'tenant_acme' order by version`;
    expect(applied.map((row) => row.version)).toEqual(['0001', '0002', '0003']);
    const [col] = await db.sql`select data_type from information_schema.columns where table_schema = 'tenant_acme' and table_name = 'products' and column_name = 'weight_grams'`;
    expect(col!.data_type).toBe('bigint');
    // The warm pool provisions its spares the same way.
    const fill = await runCli(['tenant', 'pool', 'fill', '--size', '1', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(fill.code, fill.stderr).toBe(0);
    expect(JSON.parse(fill.stdout)).toMatchObject({ created: ['tenantctl_pool_1'] });
  });

  it('a file after the rewrite that drops a shared table is still refused, and nothing of the tenant stays', async () => {
    await db.sql`create table public.keep_me (id int)`;
    const reach = '-- migrate:up\ndrop table public.keep_me;\n-- migrate:down\nselect 1;\n';
    const dir = await migrationsWith({ 'tenant/0002_widen.sql': widen, 'tenant/0003_note.sql': note, 'tenant/0004_reach.sql': reach });
    const r = await runCli(['tenant', 'create', 'beta', '--name', 'Beta', '--plan', 'starter', '--owner-email', 'b@beta.test', '--migrations-dir', dir], { url: db.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('0004_reach.sql: it dropped 1 relation(s) outside tenant_beta');
    expect((await db.sql`select to_regclass('public.keep_me') is not null as e`)[0]!.e).toBe(true);
    expect((await db.sql`select count(*)::int as n from public.tenants where slug = 'beta'`)[0]!.n).toBe(0);
  });
});
