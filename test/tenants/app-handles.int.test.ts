import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { scratch } from '../csv/helpers.js';
import { schemaExists } from './helpers.js';

/**
 * README: a tenant the application inserted is a tenant like any other. Its slug need not
 * follow the rule tenantctl applies to the slugs it creates (`acme-corp`, `Café-GmbH`).
 */
describe('handles the application inserted', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    await db.sql`insert into public.tenants (name, slug, schema_name) values ('Acme Corp', 'acme-corp', 'tenant_acme-corp')`;
    const [cafe] = await db.sql`insert into public.tenants (name, slug, schema_name) values ('Café', 'Café-GmbH', 'pending') returning id::text`;
    const cafeSchema = `tenant_${cafe!.id.replace(/-/g, '').slice(0, 12)}`;
    await db.sql`update public.tenants set schema_name = ${cafeSchema} where slug = 'Café-GmbH'`;
    // The application creates the schemas; migrate up builds their tables.
    for (const schema of ['tenant_acme-corp', cafeSchema]) await db.sql`create schema ${db.sql(schema)}`;
    const up = await runCli(['migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
  });
  afterAll(async () => db?.drop());

  it('tenant show, export and erase take them as given', async () => {
    for (const slug of ['acme-corp', 'Café-GmbH']) {
      const show = await runCli(['tenant', 'show', slug, '--json'], { url: db.url });
      expect(show.code, show.stderr).toBe(0);
      expect(JSON.parse(show.stdout)).toMatchObject({ slug });
    }
    const out = join(scratch(), 'products.csv');
    const exported = await runCli(['export', 'products', '--tenant', 'acme-corp', '--out', out], { url: db.url });
    expect(exported.code, exported.stderr).toBe(0);
    expect((await readFile(out, 'utf8')).split('\n')[0]).toMatch(/^sku,/);
    const erased = await runCli(['tenant', 'erase', 'acme-corp', '--yes', '--confirm', 'acme-corp', '--reason', 'test'], { url: db.url });
    expect(erased.code, erased.stderr).toBe(0);
    expect(await schemaExists(db.sql, 'tenant_acme-corp')).toBe(false);
    expect(await db.sql`select 1 from public.tenants where slug = 'Café-GmbH'`).toHaveLength(1);
  });

  it('an unknown handle of any shape is the unknown-tenant error (exit 2); a new slug still follows the rule', async () => {
    const unknown = await runCli(['tenant', 'show', 'nosuch-corp'], { url: db.url });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown tenant: nosuch-corp');
    const create = await runCli(['tenant', 'create', 'new-corp', '--name', 'N', '--plan', 'starter', '--owner-email', 'n@n.test'], { url: db.url });
    expect(create.code).toBe(2);
    expect(create.stderr).toMatch(/Invalid slug "new-corp"/);
  });
});
