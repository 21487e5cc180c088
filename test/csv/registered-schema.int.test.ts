import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';

/** Seed 004 also allows tenant_<uuid_short> schemas (the first hex digits of the tenant's id): the registry, not the slug, says where a tenant lives. */
describe('a tenant whose schema is not named tenant_<slug>', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    await db.sql`insert into public.tenants (id, name, slug, schema_name) values ('5f3a9c01-0000-4000-8000-000000000001', 'Odd', 'odd', 'tenant_5f3a9c01')`;
    await db.sql`create schema tenant_5f3a9c01`;
    await migrateAll(db.sql);
  });
  afterAll(async () => db.drop());

  it('imports into and exports from the registered schema', async () => {
    const result = await runCli(['import', 'products', 'fixtures/products.csv', '--tenant', 'odd', '--json'], { url: db.url });
    expect(result.code, result.stderr).toBe(0);
    const [{ n }] = await db.sql`select count(*)::int as n from tenant_5f3a9c01.products`;
    expect(n).toBe(JSON.parse(result.stdout).inserted);
    expect(n).toBeGreaterThan(0);
    const exported = await runCli(['export', 'products', '--tenant', 'odd'], { url: db.url });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout.trim().split('\n').length).toBeGreaterThan(n);
  });

  it('monitor --tenant reads the registered schema, and names an unknown tenant', async () => {
    const sizes = await runCli(['monitor', 'table-sizes', '--tenant', 'odd', '--json'], { url: db.url });
    expect(sizes.code, sizes.stderr).toBe(0);
    const schemas = new Set((JSON.parse(sizes.stdout).rows as { schema: string }[]).map((r) => r.schema));
    expect([...schemas]).toEqual(['tenant_5f3a9c01']);
    const unknown = await runCli(['monitor', 'table-sizes', '--tenant', 'nobody'], { url: db.url });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown tenant: nobody');
  });
});
