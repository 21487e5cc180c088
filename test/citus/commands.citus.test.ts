import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.js';
import { runCliOnTty } from '../support/pty.js';
import { CITUS_URL, createCitusDatabase, reportSkipped, type CitusDatabase } from './cluster.js';

const FIXTURES = join(process.cwd(), 'fixtures');
const count = async (db: CitusDatabase, table: string): Promise<number> =>
  ((await db.sql`select count(*)::int as n from ${db.sql(table.split('.')[0]!)}.${db.sql(table.split('.')[1]!)}`) as unknown as [{ n: number }])[0].n;

if (!CITUS_URL) reportSkipped();
else describe('import, export, monitor, maintain and fixtures on a Citus coordinator (commerce profile)', () => {
  let db: CitusDatabase;
  let dir: string;

  beforeAll(async () => {
    db = await createCitusDatabase();
    dir = mkdtempSync(join(tmpdir(), 'citus-commands-'));
    expect((await runCli(['migrate', 'up'], { url: db.url })).code).toBe(0);
    const created = await runCli(['tenant', 'create', 'acme', '--name', 'Acme', '--plan', 'starter', '--owner-email', 'o@acme.test'], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
  });
  afterAll(async () => {
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('import products and orders, re-import (upsert), replace, and a file with bad rows', async () => {
    const products = await runCli(['import', 'products', join(FIXTURES, 'products.csv'), '--tenant', 'acme', '--json'], { url: db.url });
    expect(products.code, products.stderr).toBe(0);
    expect(await count(db, 'tenant_acme.products')).toBe(300);
    // Orders create their sales channels and link lines to products: joins with the tenant's distributed tables.
    const orders = await runCli(['import', 'orders', join(FIXTURES, 'orders.csv'), '--tenant', 'acme', '--json'], { url: db.url });
    expect(orders.code, orders.stderr).toBe(0);
    const [{ orders: o, lines, linked }] = (await db.sql`select (select count(*)::int from tenant_acme.orders) as orders, count(*)::int as lines, count(product_id)::int as linked from tenant_acme.order_items`) as unknown as [{ orders: number; lines: number; linked: number }];
    expect(o).toBe(150);
    expect(lines).toBe(380);
    expect(linked).toBeGreaterThan(0);

    // Again, with one changed price: an upsert on the distributed table updates that row only.
    writeFileSync(join(dir, 'products.csv'), readFileSync(join(FIXTURES, 'products.csv'), 'utf8').replace('69.94,131.17,186.00', '69.94,150.00,186.00'));
    const upsert = JSON.parse((await runCli(['import', 'products', join(dir, 'products.csv'), '--tenant', 'acme', '--json'], { url: db.url })).stdout) as { inserted: number; updated: number; unchanged: number };
    expect(upsert).toMatchObject({ inserted: 0, updated: 1, unchanged: 299 });
    const [{ price }] = (await db.sql`select selling_price::text as price from tenant_acme.products where sku = 'BEAU-0000001'`) as unknown as [{ price: string }];
    expect(price).toBe('150.00');

    // Replace with the first 100 products: the other 200 would go, but order lines point at
    // some of them, so the import fails whole (Citus runs the same foreign keys) and keeps all.
    writeFileSync(join(dir, 'first100.csv'), readFileSync(join(FIXTURES, 'products.csv'), 'utf8').split('\n').slice(0, 101).join('\n') + '\n');
    const replace = await runCli(['import', 'products', join(dir, 'first100.csv'), '--tenant', 'acme', '--mode', 'replace', '--yes'], { url: db.url });
    expect(replace.code).toBe(1);
    expect(replace.stderr).toContain('still referenced');
    expect(await count(db, 'tenant_acme.products')).toBe(300);

    // An order whose lines changed in the database is written again from the file; what the file
    // does not carry (created_at) comes with each line from the one it replaces.
    await db.sql`update tenant_acme.order_items set quantity = quantity + 1, created_at = '2020-01-02T03:04:05Z' where order_id = (select id from tenant_acme.orders order by order_number limit 1)`;
    const rewritten = JSON.parse((await runCli(['import', 'orders', join(FIXTURES, 'orders.csv'), '--tenant', 'acme', '--json'], { url: db.url })).stdout) as { updated: number };
    expect(rewritten).toMatchObject({ updated: 1 });
    const kept = await db.sql`select created_at from tenant_acme.order_items where order_id = (select id from tenant_acme.orders order by order_number limit 1)`;
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((r) => (r.created_at as Date).toISOString() === '2020-01-02T03:04:05.000Z')).toBe(true);

    const broken = await runCli(['import', 'orders', join(FIXTURES, 'broken', 'orders.csv'), '--tenant', 'acme'], { url: db.url });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/line \d+, column \w+:/);
    expect(await count(db, 'tenant_acme.orders')).toBe(150);
  });

  test('insert mode: keys that already exist are errors at their line and column, as on one node', async () => {
    // Citus relays a worker's duplicate key without its SQLSTATE; the import must still locate it.
    for (const entity of ['products', 'orders']) {
      const run = await runCli(['import', entity, join(FIXTURES, `${entity}.csv`), '--tenant', 'acme', '--mode', 'insert', '--json'], { url: db.url });
      expect(run.code, run.stderr).toBe(1);
      const error = (JSON.parse(run.stdout) as { error: { code: string; details: { findings: { line: number; column: string; reason: string }[] } } }).error;
      expect(error.code).toBe('CSV_INVALID');
      expect(error.details.findings[0]).toMatchObject({ line: 2, column: entity === 'products' ? 'sku' : 'channel', reason: expect.stringContaining('already exists') });
    }
    // One existing sku and one new: with --max-errors 1 the new row is loaded, the other reported.
    const [header, existing] = readFileSync(join(FIXTURES, 'products.csv'), 'utf8').split('\n');
    writeFileSync(join(dir, 'one-new.csv'), `${header}\n${existing}\n${existing!.replace(/^[^,]+/, 'NEW-0000001')}\n`);
    const partial = await runCli(['import', 'products', join(dir, 'one-new.csv'), '--tenant', 'acme', '--mode', 'insert', '--max-errors', '1', '--json'], { url: db.url });
    expect(partial.code, partial.stderr).toBe(1);
    expect(JSON.parse(partial.stdout)).toMatchObject({ inserted: 1, rejected: 1 });
    expect(await count(db, 'tenant_acme.products')).toBe(301);
    await db.sql`delete from tenant_acme.products where sku = 'NEW-0000001'`;
  });

  test('export writes every product and order back, re-importable as unchanged', async () => {
    for (const entity of ['products', 'orders']) {
      const out = join(dir, `${entity}-export.csv`);
      const run = await runCli(['export', entity, '--tenant', 'acme', '--out', out, '--json'], { url: db.url });
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).rows).toBe(entity === 'products' ? 300 : 380);
      const again = JSON.parse((await runCli(['import', entity, out, '--tenant', 'acme', '--json'], { url: db.url })).stdout) as { inserted: number; updated: number; deleted: number };
      expect(again).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });
    }
  });

  test('on a terminal, export shows its progress and writes every row: the row estimate never holds it up', async () => {
    // The estimate behind the percentage is an EXPLAIN, which a coordinator sends to the workers.
    const out = join(dir, 'orders-tty.csv');
    const run = await runCliOnTty(['export', 'orders', '--tenant', 'acme', '--out', out], [], { url: db.url });
    expect(run.code, run.screen).toBe(0);
    // The same bytes as the export off a terminal in the test before.
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(dir, 'orders-export.csv'), 'utf8'));
  });

  test('fixtures generate makes distributed tenants with their rows; a rerun changes nothing', async () => {
    const args = ['fixtures', 'generate', '--tenants', '2', '--products', '40', '--orders', '30', '--prefix', 'fx', '--json'];
    const run = await runCli(args, { url: db.url });
    expect(run.code, run.stderr).toBe(0);
    const schemas = (await db.sql`select schemaid::regnamespace::text as s from pg_dist_schema where schemaid::regnamespace::text like 'tenant_fx%' order by 1`) as unknown as { s: string }[];
    expect(schemas.map((r) => r.s)).toEqual(['tenant_fx_0001', 'tenant_fx_0002']);
    expect(await count(db, 'tenant_fx_0001.products')).toBe(40);
    expect(await count(db, 'tenant_fx_0002.orders')).toBe(30);
    // Placed like `tenant create`, by bytes: acme (300 products, 150 orders) outweighs one small
    // fixture tenant, so both go to the other worker (Citus alone would deal them one to each).
    const nodes = new Map((JSON.parse((await runCli(['tenant', 'list', '--json'], { url: db.url })).stdout) as { slug: string; node: string }[]).map((t) => [t.slug, t.node]));
    const other = db.workers.map((w) => w.address).find((a) => a !== nodes.get('acme'))!;
    expect([nodes.get('fx_0001'), nodes.get('fx_0002')]).toEqual([other, other]);
    expect(JSON.parse(run.stdout).nodes).toEqual({ [other]: 2 });
    const checksum = JSON.parse(run.stdout).checksum as string;
    const again = await runCli(args, { url: db.url });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).checksum).toBe(checksum);
    const load = await runCli(['fixtures', 'load', FIXTURES, '--tenant', 'fx_0001'], { url: db.url });
    expect(load.code, load.stderr).toBe(0);
  });

  test('maintain runs every job on the coordinator', async () => {
    const run = await runCli(['maintain', '--json'], { url: db.url });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { ok: boolean; tasks: { task: string; ok: boolean }[] };
    expect(report.tasks.filter((t) => !t.ok)).toEqual([]);
    expect(report.tasks.map((t) => t.task)).toEqual(expect.arrayContaining(['retention', 'partitions', 'analyze']));
  });

  test('every monitor report answers on the coordinator, and the checks include the node skew', async () => {
    for (const report of ['table-sizes', 'tenant-sizes', 'indexes', 'bloat', 'connections', 'cache', 'activity', 'vacuum', 'sequences']) {
      const run = await runCli(['monitor', report, '--json'], { url: db.url });
      expect(run.code, `${report}: ${run.stderr}`).toBe(0);
      expect(() => JSON.parse(run.stdout)).not.toThrow();
    }
    const sizes = JSON.parse((await runCli(['monitor', 'tenant-sizes', '--json'], { url: db.url })).stdout) as { rows: { tenant: string }[] };
    expect(sizes.rows.map((t) => t.tenant)).toEqual(expect.arrayContaining(['acme', 'fx_0001', 'fx_0002']));
    const check = await runCli(['monitor', 'check', '--json'], { url: db.url });
    const checks = (JSON.parse(check.stdout) as { checks: { name: string; status: string }[] }).checks;
    expect(checks.map((c) => c.name)).toContain('node-skew');
    expect(checks.filter((c) => c.status === 'CRITICAL' || c.status === 'UNKNOWN')).toEqual([]);
  });
});
