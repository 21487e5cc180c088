import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { seedTenant } from '../tenants/helpers.js';
import { fixture, scratch } from './helpers.js';

/** Export leaves soft-deleted rows out; replace with that export must not take that as "remove them". */
describe('import --mode replace and soft-deleted rows', () => {
  let db: TestDatabase;
  const cli = (args: string[]) => runCli(args, { url: db.url });
  beforeAll(async () => {
    db = await createTestDatabase('softdel');
    await migrateAll(db.sql);
    await seedTenant(db.sql, 'acme', 0);
    expect((await cli(['import', 'products', fixture('products.csv'), '--tenant', 'acme'])).code).toBe(0);
  });
  afterAll(async () => db?.drop());

  it('an unchanged export replaced back changes nothing: the soft-deleted product stays, soft-deleted', async () => {
    const [{ sku }] = (await db.sql`update tenant_acme.products set deleted_at = now() where sku = (select sku from tenant_acme.products order by sku limit 1) returning sku`) as unknown as [{ sku: string }];
    const out = join(scratch(), 'products.csv');
    expect((await cli(['export', 'products', '--tenant', 'acme', '--out', out])).code).toBe(0);
    const replaced = await cli(['import', 'products', out, '--tenant', 'acme', '--mode', 'replace', '--yes', '--json']);
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(JSON.parse(replaced.stdout)).toMatchObject({ deleted: 0, inserted: 0, updated: 0 });
    expect(await db.sql`select count(*)::int as n, count(deleted_at)::int as soft from tenant_acme.products where sku = ${sku}`).toEqual([{ n: 1, soft: 1 }]);
  });
});
