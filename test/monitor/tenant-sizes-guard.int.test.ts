import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';

/** issue 12, item 1: monitor reports apply the tenant schema guard like every other tenant command. */
describe('monitor and a registry row that names a schema not the tenant\'s own', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('mon');
    await migrateAll(db.sql);
    for (const slug of ['good', 'evil', 'copycat']) await addTenantRow(db.sql, slug);
    await migrateAll(db.sql);
    // Tampered or mistyped rows: one names the shared schema, one an application schema.
    await db.sql`create schema billing`;
    await db.sql`create table billing.invoices as select g as id from generate_series(1, 1000) g`;
    await db.sql`update public.tenants set schema_name = 'public' where slug = 'evil'`;
    await db.sql`update public.tenants set schema_name = 'billing' where slug = 'copycat'`;
  });
  afterAll(async () => db?.drop());

  it('tenant-sizes flags both rows and sizes neither schema as theirs; the good tenant is sized', async () => {
    const r = await runCli(['monitor', 'tenant-sizes', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    const rows = Object.fromEntries(JSON.parse(r.stdout).rows.map((row: { tenant: string }) => [row.tenant, row]));
    expect(rows.evil).toMatchObject({ schema: 'public', totalBytes: null, rows: null, tables: 0, schemaMismatch: { registered: 'public', expected: 'tenant_evil' } });
    expect(rows.evil.schemaMismatch.reason).toContain('public is a system, shared or tenantctl schema');
    expect(rows.copycat).toMatchObject({ schema: 'billing', totalBytes: null, schemaMismatch: { registered: 'billing', expected: 'tenant_copycat' } });
    expect(rows.good).toMatchObject({ schema: 'tenant_good', schemaMismatch: null });
    expect(rows.good.totalBytes).toBeGreaterThan(0);
    expect(rows.good.tables).toBeGreaterThan(30);

    const human = await runCli(['monitor', 'tenant-sizes'], { url: db.url });
    expect(human.stdout).toMatch(/^│?\s*evil\s*│\s*REFUSED/m);
    expect(human.stdout).toContain('REFUSED evil: public.tenants.schema_name says "public", expected tenant_evil');
    expect(human.stdout).toContain('REFUSED copycat: public.tenants.schema_name says "billing", expected tenant_copycat');
    const prometheus = await runCli(['monitor', 'tenant-sizes', '--prometheus'], { url: db.url });
    expect(prometheus.stdout).toContain('tenant="good"');
    expect(prometheus.stdout).not.toMatch(/tenant="(evil|copycat)"/);
  });

  it('table-sizes --tenant refuses a tenant whose row names another schema, before reading anything', async () => {
    const r = await runCli(['monitor', 'table-sizes', '--tenant', 'evil'], { url: db.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Refusing to act on tenant "evil": public.tenants.schema_name says "public", expected tenant_evil');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
    const good = await runCli(['monitor', 'table-sizes', '--tenant', 'good', '--json'], { url: db.url });
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout).rows.every((row: { schema: string }) => row.schema === 'tenant_good')).toBe(true);
  });
});
