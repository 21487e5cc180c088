import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.js';
import { CITUS_URL, createCitusDatabase, reportSkipped, type CitusDatabase } from './cluster.js';

if (!CITUS_URL) reportSkipped();
else describe('exact sizes on a Citus coordinator count the shards on the workers', () => {
  let db: CitusDatabase;
  /** citus_total_relation_size of tenant_big's products: the figure every exact size must reach. */
  let productBytes: number;

  beforeAll(async () => {
    db = await createCitusDatabase();
    expect((await runCli(['migrate', 'up'], { url: db.url })).code).toBe(0);
    for (const slug of ['big', 'small']) {
      const run = await runCli(['tenant', 'create', slug, '--name', slug, '--plan', 'starter', '--owner-email', `owner@${slug}.test`], { url: db.url });
      expect(run.code, run.stderr).toBe(0);
    }
    const imported = await runCli(['import', 'products', 'fixtures/products.csv', '--tenant', 'big'], { url: db.url });
    expect(imported.code, imported.stderr).toBe(0);
    const [row] = (await db.sql`select citus_total_relation_size('tenant_big.products')::bigint as n`) as unknown as [{ n: string }];
    productBytes = Number(row.n);
    // The coordinator's shell is empty: the old figures could never reach this.
    expect(productBytes).toBeGreaterThan(100_000);
  }, 120_000);
  afterAll(async () => db?.drop());

  test('tenant list --exact-sizes and tenant show', async () => {
    const list = JSON.parse((await runCli(['tenant', 'list', '--exact-sizes', '--json'], { url: db.url })).stdout) as { slug: string; sizeBytes: number }[];
    const full = list.find((t) => t.slug === 'big')!.sizeBytes;
    const empty = list.find((t) => t.slug === 'small')!.sizeBytes;
    expect(full - empty).toBeGreaterThanOrEqual(productBytes / 2);
    const show = JSON.parse((await runCli(['tenant', 'show', 'big', '--json'], { url: db.url })).stdout) as { sizeBytes: number };
    expect(show.sizeBytes).toBe(full);
  }, 60_000);

  test('monitor tenant-sizes --exact and monitor table-sizes --exact', async () => {
    const tenants = JSON.parse((await runCli(['monitor', 'tenant-sizes', '--exact', '--json'], { url: db.url })).stdout) as { rows: { tenant: string; totalBytes: number }[] };
    const bySlug = new Map(tenants.rows.map((r) => [r.tenant, r.totalBytes]));
    expect(bySlug.get('big')! - bySlug.get('small')!).toBeGreaterThanOrEqual(productBytes / 2);
    const tables = JSON.parse((await runCli(['monitor', 'table-sizes', '--exact', '--tenant', 'big', '--json'], { url: db.url })).stdout) as { rows: { table: string; tableBytes: number; indexBytes: number; totalBytes: number }[] };
    const products = tables.rows.find((r) => r.table === 'products')!;
    expect(products.totalBytes).toBe(productBytes);
    expect(products.tableBytes).toBeGreaterThan(0);
    expect(products.tableBytes + products.indexBytes).toBe(productBytes);
  }, 60_000);

  // Same database, other subject: a worker's refusal relayed by the coordinator names shards.
  test('an import refused by a worker names the tables, not their shards', async () => {
    const orders = await runCli(['import', 'orders', 'fixtures/orders.csv', '--tenant', 'big'], { url: db.url });
    expect(orders.code, orders.stderr).toBe(0);
    const lines = readFileSync('fixtures/products.csv', 'utf8').split('\n');
    const file = join(mkdtempSync(join(tmpdir(), 'sizes-')), 'one-product.csv');
    writeFileSync(file, `${lines[0]}\n${lines[1]}\n`);
    const run = await runCli(['import', 'products', file, '--tenant', 'big', '--mode', 'replace', '--yes'], { url: db.url });
    expect(run.code, run.stdout).not.toBe(0);
    expect(run.stderr).toMatch(/tenant_big\.order_items still references \(Key \(id\)=\([^)]+\) is still referenced from table "order_items"\.\)/);
    expect(run.stderr).not.toMatch(/_\d{4,}"/);
  }, 60_000);
});
