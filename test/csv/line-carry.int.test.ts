import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { seedTenant } from '../tenants/helpers.js';
import { fixture, scratch } from './helpers.js';

/**
 * An import writes a changed order's lines again. What the file does not carry (a line's
 * variant, its created_at) comes with each line from the one it replaces, paired by product.
 */
describe('import orders: a changed order keeps what its lines hold besides the file', () => {
  let db: TestDatabase;
  const cli = (args: string[]) => runCli(args, { url: db.url });
  beforeAll(async () => {
    db = await createTestDatabase('carry');
    await migrateAll(db.sql);
    await seedTenant(db.sql, 'acme', 0);
    expect((await cli(['import', 'products', fixture('products.csv'), '--tenant', 'acme'])).code).toBe(0);
    expect((await cli(['import', 'orders', fixture('orders.csv'), '--tenant', 'acme'])).code).toBe(0);
  });
  afterAll(async () => db?.drop());

  it('variant_id and created_at survive a re-import that changes the order', async () => {
    const [order] = await db.sql`select o.id, o.order_number from tenant_acme.orders o where (select count(*) from tenant_acme.order_items i where i.order_id = o.id) >= 2 order by o.order_number limit 1`;
    await db.sql`insert into tenant_acme.product_variants (product_id, sku, name, attributes)
                 select distinct i.product_id, p.sku || '-V', p.name, '{}'::jsonb from tenant_acme.order_items i join tenant_acme.products p on p.id = i.product_id where i.order_id = ${order!.id}`;
    await db.sql`update tenant_acme.order_items i set variant_id = v.id, created_at = '2020-01-02T03:04:05Z' from tenant_acme.product_variants v where v.product_id = i.product_id and i.order_id = ${order!.id}`;
    const lines = () => db.sql`select i.sku, i.quantity, i.variant_id, i.created_at from tenant_acme.order_items i where i.order_id = ${order!.id} order by i.sku`;
    const before = await lines();
    const out = join(scratch(), 'orders.csv');
    expect((await cli(['export', 'orders', '--tenant', 'acme', '--out', out])).code).toBe(0);
    // The database moves on; importing the file changes the order back and writes its lines again.
    await db.sql`update tenant_acme.order_items set quantity = quantity + 1 where order_id = ${order!.id}`;
    const imported = await cli(['import', 'orders', out, '--tenant', 'acme', '--json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ updated: 1, rejected: 0 });
    expect(await lines()).toEqual(before);
    expect(before.every((l) => l.variant_id !== null)).toBe(true);
  });
});
