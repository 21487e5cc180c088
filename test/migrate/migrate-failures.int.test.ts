import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';

const BROKEN = `-- migrate:up
alter table products add column ok_one text;

alter table products add colum broken text;

-- migrate:down
alter table products drop column ok_one;
`;

/** A database at the platform's migrations with tenants b1, b2 and b3. */
async function threeTenants(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  await migrateAll(db.sql);
  for (const slug of ['b1', 'b2', 'b3']) await addTenantRow(db.sql, slug);
  await migrateAll(db.sql);
  return db;
}

describe('failures, resumption and drift', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await threeTenants();
  });
  afterAll(async () => db.drop());

  it('a syntax error names the file, line, column, tenant and PostgreSQL message; nothing is half-applied; a fix resumes', async () => {
    const dir = await migrationsWith({ 'tenant/0002_broken.sql': BROKEN });
    const result = await runCli(['migrate', 'up', '--concurrency', '1', '--migrations-dir', dir], { url: db.url });
    expect(result.code).toBe(1);
    const file = join(dir, 'tenant/0002_broken.sql');
    expect(result.stdout).toMatch(new RegExp(`b1: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:39: syntax error at or near "text"`));
    expect(result.stdout).toContain('tenants: 3 · 0 migrated · 0 unchanged · 1 failed · 0 skipped · 2 not run');
    // Without --continue-on-error the run stops after the first failure; the rest is "not run".
    const json = JSON.parse((await runCli(['migrate', 'status', '--migrations-dir', dir, '--json'], { url: db.url })).stdout);
    expect(json.tenants.failed.map((f: { slug: string }) => f.slug)).toEqual(['b1']);
    expect(json.tenants.failed[0].failure).toMatchObject({ line: 4, code: '42601' });
    // The first statement of the failed file did not survive: one transaction per migration.
    const cols = await db.sql`select 1 from information_schema.columns where column_name = 'ok_one'`;
    expect(cols).toHaveLength(0);

    await writeFile(file, BROKEN.replace('colum broken', 'column fixed'));
    const again = await runCli(['migrate', 'up', '--only-failed', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).tenants.filter((t: { outcome: string }) => t.outcome === 'applied').map((t: { slug: string }) => t.slug)).toEqual(['b1']);
    const rest = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(JSON.parse(rest.stdout).summary).toMatchObject({ failed: 0, upToDate: 3 - JSON.parse(rest.stdout).summary.applied });
    const status = JSON.parse((await runCli(['migrate', 'status', '--migrations-dir', dir, '--json'], { url: db.url })).stdout);
    expect(status.upToDate).toBe(true);

    // verify: the applied file changed since it ran → named, exit 1.
    await writeFile(file, BROKEN.replace('colum broken', 'column fixed') + '\n-- edited later\n');
    const verify = await runCli(['migrate', 'verify', '--migrations-dir', dir], { url: db.url });
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`changed since applied: ${file}`);
    expect(verify.stdout).toContain('hint: tenantctl never runs an applied file again');
    expect(verify.stdout).toContain('applied in 3 schemas');
  });

  it('--continue-on-error migrates the others and reports each outcome', async () => {
    await db.sql`create table tenant_b2.blocker (id int)`;
    const dir = await migrationsWith({
      'tenant/0002_broken.sql': BROKEN.replace('colum broken', 'column fixed'),
      'tenant/0003_blocker.sql': '-- migrate:up\ncreate table blocker (id int);\n-- migrate:down\ndrop table blocker;\n',
    });
    const result = await runCli(['migrate', 'up', '--continue-on-error', '--tenants-only', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    const outcome = Object.fromEntries(report.tenants.map((t: { slug: string; outcome: string }) => [t.slug, t.outcome]));
    expect(outcome).toEqual({ b1: 'applied', b2: 'failed', b3: 'applied' });
    expect(report.tenants.find((t: { slug: string }) => t.slug === 'b2').error).toMatchObject({ line: 2, column: 1, code: '42P07' });
    await db.sql`drop table tenant_b2.blocker`;
    await runCli(['migrate', 'down', '--tenants-only', '--migrations-dir', dir, '--yes'], { url: db.url });
  });
});

describe('a failure whose migration is no longer pending', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await threeTenants();
  });
  afterAll(async () => db.drop());

  it('is cleared by the next run once its file is removed, and status stops counting it', async () => {
    const broken = await migrationsWith({ 'tenant/0002_broken.sql': BROKEN });
    expect((await runCli(['migrate', 'up', '--continue-on-error', '--tenants-only', '--migrations-dir', broken], { url: db.url })).code).toBe(1);
    const without = await migrationsWith({});
    const failedIn = async () => (JSON.parse((await runCli(['migrate', 'status', '--migrations-dir', without, '--json'], { url: db.url })).stdout).tenants.failed as { slug: string }[]).map((f) => f.slug).sort();
    expect(await failedIn()).toEqual(['b1', 'b2', 'b3']);
    // With the file gone every tenant is at the latest version: the run says so and clears the old failures.
    const up = await runCli(['migrate', 'up', '--tenants-only', '--migrations-dir', without, '--json'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    const report = JSON.parse(up.stdout);
    expect(report.tenants.map((t: { outcome: string; reason?: string }) => [t.outcome, t.reason?.includes('was cleared')])).toEqual([['up-to-date', true], ['up-to-date', true], ['up-to-date', true]]);
    expect(await failedIn()).toEqual([]);
    // People are told too.
    await runCli(['migrate', 'up', '--continue-on-error', '--tenants-only', '--migrations-dir', broken], { url: db.url });
    const human = await runCli(['migrate', 'up', '--tenants-only', '--migrations-dir', without], { url: db.url });
    expect(human.stdout).toContain('3 tenants at the latest version had a failure recorded for a migration no longer pending: cleared (b1, b2, b3)');
  });
});

describe('a process killed with SIGKILL mid-fleet', () => {
  let db: TestDatabase;
  const slugs = Array.from({ length: 24 }, (_, i) => `k${i}`);
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    for (const slug of slugs) await addTenantRow(db.sql, slug);
    await migrateAll(db.sql);
  });
  afterAll(async () => db.drop());

  it('leaves every schema either fully migrated or untouched, and a rerun completes exactly once each', async () => {
    // The sleep sits between two statements, so a kill lands inside migrations, not between them.
    const dir = await migrationsWith({
      'tenant/0002_slow.sql': '-- migrate:up\nalter table orders add column channel_ref text;\nselect pg_sleep(0.15);\ncreate index idx_orders_channel_ref on orders (channel_ref);\n-- migrate:down\nalter table orders drop column channel_ref;\n',
    });
    const child = spawnCli(['migrate', 'up', '--concurrency', '2', '--migrations-dir', dir], { url: db.url });
    let progressed = false;
    for (let i = 0; i < 100 && !progressed; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      const [{ n }] = await db.sql`select count(*)::int as n from tenantctl.schema_migrations where scope = 'tenant' and version = '0002'`;
      progressed = n >= 3;
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    const halfway = await db.sql`
      select n.nspname as schema,
             exists (select 1 from information_schema.columns c where c.table_schema = n.nspname and c.table_name = 'orders' and c.column_name = 'channel_ref') as has_column,
             exists (select 1 from pg_indexes i where i.schemaname = n.nspname and i.indexname = 'idx_orders_channel_ref') as has_index,
             exists (select 1 from tenantctl.schema_migrations m where m.schema_name = n.nspname and m.version = '0002') as recorded
      from pg_namespace n where n.nspname like 'tenant_k%'`;
    expect(halfway).toHaveLength(slugs.length);
    for (const row of halfway) expect([row.has_column, row.has_index]).toEqual([row.recorded, row.recorded]);
    const recorded = halfway.filter((r) => r.recorded).length;
    expect(recorded).toBeGreaterThan(0);
    expect(recorded).toBeLessThan(slugs.length);

    const rerun = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout).summary.applied).toBe(slugs.length - recorded);
    const [{ n, distinct }] = await db.sql`select count(*)::int as n, count(distinct schema_name)::int as distinct from tenantctl.schema_migrations where scope = 'tenant' and version = '0002'`;
    expect([n, distinct]).toEqual([slugs.length, slugs.length]);
  });
});

describe('transaction:false migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    for (const slug of ['c1', 'c2']) await addTenantRow(db.sql, slug);
    await migrateAll(db.sql);
  });
  afterAll(async () => db.drop());

  it('run CREATE INDEX CONCURRENTLY outside a transaction without waiting on their own lock', async () => {
    const dir = await migrationsWith({
      'tenant/0002_concurrent_index.sql': '-- migrate:up transaction:false\ncreate index concurrently idx_orders_total on orders (total_amount);\n\n-- migrate:down transaction:false\ndrop index concurrently idx_orders_total;\n',
    });
    const result = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    const rows = await db.sql`select schemaname from pg_indexes where indexname = 'idx_orders_total' order by 1`;
    expect(rows.map((r) => r.schemaname)).toEqual(['tenant_c1', 'tenant_c2']);
  });

  it('a failed CREATE UNIQUE INDEX CONCURRENTLY names the INVALID index it left, and a retry is not recorded until it is gone', async () => {
    const dir = await migrationsWith({
      'tenant/0003_unique_name.sql': '-- migrate:up transaction:false\ncreate unique index concurrently if not exists products_name_uniq on products (name);\n\n-- migrate:down transaction:false\ndrop index concurrently if exists products_name_uniq;\n',
    });
    await db.sql`insert into tenant_c2.products (sku, name) values ('d-1', 'Twice'), ('d-2', 'Twice')`;
    const valid = async (schema: string) => (await db.sql`select i.indisvalid from pg_index i join pg_class c on c.oid = i.indexrelid where c.relname = 'products_name_uniq' and c.relnamespace = ${schema}::regnamespace`).map((r) => r.indisvalid as boolean);
    const recorded = async () => (await db.sql`select schema_name from tenantctl.schema_migrations where version = '0003' order by 1`).map((r) => r.schema_name as string);

    const first = await runCli(['migrate', 'up', '--migrations-dir', dir, '--continue-on-error', '--json'], { url: db.url });
    expect(first.code).toBe(1);
    const failed = (JSON.parse(first.stdout).tenants as { schema: string; outcome: string; error?: { message: string; hint: string } }[]).find((t) => t.schema === 'tenant_c2')!;
    expect(failed.outcome).toBe('failed');
    expect(failed.error!.message).toContain('index tenant_c2.products_name_uniq (on products) is left INVALID');
    expect(failed.error!.hint).toContain('DROP INDEX CONCURRENTLY "tenant_c2"."products_name_uniq"');
    expect(await valid('tenant_c2')).toEqual([false]);
    expect(await recorded()).toEqual(['tenant_c1']);

    // The retry's IF NOT EXISTS skips the invalid index: refused, not recorded.
    const retry = await runCli(['migrate', 'up', '--migrations-dir', dir, '--only-failed', '--json'], { url: db.url });
    expect(retry.code).toBe(1);
    expect(JSON.parse(retry.stdout).tenants[0].error).toMatchObject({ code: 'MIGRATION_INVALID_INDEX' });
    expect(await recorded()).toEqual(['tenant_c1']);

    // Dropped and the data fixed: the retry builds it and records it.
    await db.sql`drop index tenant_c2.products_name_uniq`;
    await db.sql`update tenant_c2.products set name = 'Once' where sku = 'd-2'`;
    const fixed = await runCli(['migrate', 'up', '--migrations-dir', dir, '--only-failed'], { url: db.url });
    expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
    expect(await valid('tenant_c2')).toEqual([true]);
    expect(await recorded()).toEqual(['tenant_c1', 'tenant_c2']);
  });
});

describe('a transaction:false statement that drops the bookkeeping', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    await addTenantRow(db.sql, 'e1');
    await migrateAll(db.sql);
  });
  afterAll(async () => db.drop());

  it('is named as what it did, committed, not as a failure of the file on line 1', async () => {
    const dir = await migrationsWith({ 'tenant/0003_drop_state.sql': '-- migrate:up transaction:false\nselect 1;\ndrop table tenantctl.schema_state;\n-- migrate:down\nselect 1;\n' });
    const r = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(r.code).toBe(1);
    const error = JSON.parse(r.stdout).tenants[0].error as { code: string; line: number; message: string };
    expect(error).toMatchObject({ code: 'MIGRATION_INTEGRITY_COMMITTED', line: 3 });
    expect(error.message).toContain("it dropped tenantctl's bookkeeping");
    expect(error.message).toContain('is committed');
  });

  it('stores a failed statement with its password literal scrubbed, as it prints it', async () => {
    const dir = await migrationsWith({ 'tenant/0003_role.sql': "-- migrate:up\ncreate role tenantctl_probe_role login password 'Hunter2Secret' in role no_such_role_anywhere;\n-- migrate:down\nselect 1;\n" });
    const r = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain('Hunter2Secret');
    const [state] = await db.sql`select error::text as error from tenantctl.schema_state where schema_name = 'tenant_e1'`;
    expect(state!.error).toContain("password '***'");
    expect(state!.error).not.toContain('Hunter2Secret');
  });
});
