import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';

const ADD_COLUMN = `-- migrate:up
alter table products add column source text;
create index idx_products_source on products (source);

-- migrate:down
drop index idx_products_source;
alter table products drop column source;
`;

async function hasColumn(db: TestDatabase, schema: string): Promise<boolean> {
  const rows = await db.sql`select 1 from information_schema.columns where table_schema = ${schema} and table_name = 'products' and column_name = 'source'`;
  return rows.length === 1;
}

describe('fleet migrations', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    for (const slug of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']) await addTenantRow(db.sql, slug);
    await migrateAll(db.sql);
    dir = await migrationsWith({ 'tenant/0002_products_source.sql': ADD_COLUMN });
  });
  afterAll(async () => db.drop());

  it('--dry-run prints the SQL per scope and changes nothing', async () => {
    const result = await runCli(['migrate', 'up', '--dry-run', '--migrations-dir', dir], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('6 tenant schemas');
    expect(result.stdout).toContain('alter table products add column source text;');
    expect(await hasColumn(db, 'tenant_a1')).toBe(false);
  });

  it('two migrate up processes started together apply each migration exactly once', async () => {
    const [one, two] = await Promise.all([
      runCli(['migrate', 'up', '--migrations-dir', dir, '--json', '--concurrency', '2'], { url: db.url }),
      runCli(['migrate', 'up', '--migrations-dir', dir, '--json', '--concurrency', '2'], { url: db.url }),
    ]);
    expect(one.code, one.stderr).toBe(0);
    expect(two.code, two.stderr).toBe(0);
    const applied = JSON.parse(one.stdout).summary.applied + JSON.parse(two.stdout).summary.applied;
    expect(applied).toBe(6);
    const rows = await db.sql`select schema_name, count(*)::int as n from tenantctl.schema_migrations where scope = 'tenant' and version = '0002' group by 1`;
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    for (const slug of ['a1', 'a6']) expect(await hasColumn(db, `tenant_${slug}`)).toBe(true);
  });

  it('with nothing pending, up touches no schema and says so', async () => {
    const result = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).summary).toMatchObject({ tenants: 6, applied: 0, upToDate: 6 });
  });

  it('down then up is clean, and --tenant limits the run to that tenant', async () => {
    const down = await runCli(['migrate', 'down', '--tenant', 'a2', '--migrations-dir', dir, '--yes', '--json'], { url: db.url });
    expect(down.code, down.stderr).toBe(0);
    expect(await hasColumn(db, 'tenant_a2')).toBe(false);
    expect(await hasColumn(db, 'tenant_a3')).toBe(true);
    const status = JSON.parse((await runCli(['migrate', 'status', '--migrations-dir', dir, '--json'], { url: db.url })).stdout);
    expect(status.tenants.behind).toEqual([{ slug: 'a2', version: '0001', pending: ['0002'] }]);
    const up = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(JSON.parse(up.stdout).summary).toMatchObject({ applied: 1, upToDate: 5 });
    expect(await hasColumn(db, 'tenant_a2')).toBe(true);
  });

  it('down without --yes in a script is a usage error that names the flag, and changes nothing', async () => {
    const down = await runCli(['migrate', 'down', '--tenants-only', '--migrations-dir', dir], { url: db.url });
    expect(down.code).toBe(2);
    expect(down.stderr).toContain('--yes');
    expect(await hasColumn(db, 'tenant_a1')).toBe(true);
  });

  it('reverting everything (the baseline seeds rows: --drop-data) and migrating again rebuilds the same tables', async () => {
    const before = await db.sql`select count(*)::int as n from pg_tables where schemaname = 'tenant_a4'`;
    const down = await runCli(['migrate', 'down', '--tenant', 'a4', '--to', '0', '--migrations-dir', dir, '--yes', '--drop-data'], { url: db.url });
    expect(down.code, down.stderr).toBe(0);
    const empty = await db.sql`select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = 'tenant_a4'`;
    expect(empty[0]!.n).toBe(0);
    const up = await runCli(['migrate', 'up', '--tenant', 'a4', '--migrations-dir', dir], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    const after = await db.sql`select count(*)::int as n from pg_tables where schemaname = 'tenant_a4'`;
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('a tenant row whose schema does not exist is skipped, not fatal', async () => {
    await addTenantRow(db.sql, 'ghost', false);
    const result = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.tenants.find((t: { slug: string }) => t.slug === 'ghost')).toMatchObject({ outcome: 'skipped', reason: 'schema does not exist' });
    await db.sql`delete from public.tenants where slug = 'ghost'`;
  });

  it('--no-wait exits 75 and names the holder while another run holds the fleet lock', async () => {
    const holder = await db.sql.reserve();
    try {
      await holder`select pg_advisory_lock(hashtextextended('tenantctl.migrate:fleet', 0))`;
      const result = await runCli(['migrate', 'up', '--no-wait', '--migrations-dir', dir], { url: db.url });
      expect(result.code).toBe(75);
      expect(result.stderr).toMatch(/Another tenantctl migrate run holds the fleet lock \(server pid \d+/);
    } finally {
      await holder`select pg_advisory_unlock_all()`;
      holder.release();
    }
  });

  it('an unknown --tenant is a usage error', async () => {
    const result = await runCli(['migrate', 'up', '--tenant', 'nobody', '--migrations-dir', dir], { url: db.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown tenant: nobody');
  });
});
