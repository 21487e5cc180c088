import { commerce } from '../../src/tenancy/profiles/commerce.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { importCsv } from '../../src/csv/import.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { fixture, fixtureText, scratch, snapshot, withTenants } from './helpers.js';

describe('tenantctl import', () => {
  let db: TestDatabase;
  const dir = scratch();
  beforeAll(async () => {
    db = await createTestDatabase();
    await withTenants(db, 'acme', 'globex', 'initech');
  });
  afterAll(async () => db.drop());

  it('loads the product and order fixtures, then a second run changes nothing (updated_at kept)', async () => {
    const first = await runCli(['import', 'products', fixture('products.csv'), '--tenant', 'acme', '--json'], { url: db.url });
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ entity: 'products', tenant: 'acme', rows: 300, inserted: 300, updated: 0, rejected: 0 });
    const orders = await runCli(['import', 'orders', fixture('orders.csv'), '--tenant', 'acme', '--json'], { url: db.url });
    expect(orders.code, orders.stderr).toBe(0);
    expect(JSON.parse(orders.stdout)).toMatchObject({ rows: 380, inserted: 150, childRows: 380, rejected: 0 });
    const [{ channels }] = await db.sql`select count(*)::int as channels from tenant_acme.sales_channels where status = 'disconnected'`;
    expect(channels).toBe(4);
    const [{ linked }] = await db.sql`select count(*)::int as linked from tenant_acme.order_items where product_id is not null`;
    expect(linked).toBe(380);

    const before = { p: await snapshot(db, 'tenant_acme', 'products'), o: await snapshot(db, 'tenant_acme', 'orders'), i: await snapshot(db, 'tenant_acme', 'order_items') };
    const again = await runCli(['import', 'products', fixture('products.csv'), '--tenant', 'acme', '--json'], { url: db.url });
    expect(JSON.parse(again.stdout)).toMatchObject({ inserted: 0, updated: 0, unchanged: 300 });
    const againOrders = await runCli(['import', 'orders', fixture('orders.csv'), '--tenant', 'acme', '--json'], { url: db.url });
    expect(JSON.parse(againOrders.stdout)).toMatchObject({ inserted: 0, updated: 0, unchanged: 150, childRows: 0 });
    expect(await snapshot(db, 'tenant_acme', 'products')).toEqual(before.p);
    expect(await snapshot(db, 'tenant_acme', 'orders')).toEqual(before.o);
    expect(await snapshot(db, 'tenant_acme', 'order_items')).toEqual(before.i);

    const audit = await db.sql`select action, entity_type, new_values, metadata from public.audit_logs where action = 'csv.import' order by created_at`;
    expect(audit).toHaveLength(4);
    expect(audit[0]).toMatchObject({ entity_type: 'products', new_values: { inserted: 300, rejected: 0 }, metadata: { source: 'products.csv', mode: 'upsert' } });
    expect(typeof audit[0]!.metadata.actor).toBe('string');
  });

  it('updates only the rows whose values differ', async () => {
    const text = (await fixtureText('products.csv')).replace('Forest Essentials Lip Balm - Green', 'Forest Essentials Lip Balm - Rose');
    const file = join(dir, 'changed.csv');
    await writeFile(file, text);
    const result = await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'acme', input: file, actor: 'test' });
    expect(result).toMatchObject({ inserted: 0, updated: 1, unchanged: 299 });
    const [row] = await db.sql`select name, updated_at > created_at as touched from tenant_acme.products where sku = 'BEAU-0000001'`;
    expect(row).toEqual({ name: 'Forest Essentials Lip Balm - Rose', touched: true });
  });

  it('rejects broken product rows with line, column and reason, and leaves the tenant unchanged', async () => {
    const before = await snapshot(db, 'tenant_acme', 'products');
    const rejects = join(dir, 'rejects.csv');
    const result = await runCli(['import', 'products', fixture('broken/products.csv'), '--tenant', 'acme', '--rejects', rejects], { url: db.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('8 rows are invalid (--max-errors 0); nothing was imported');
    expect(result.stderr).toContain('line 3, column selling_price: "12,50" is not a number');
    expect(result.stderr).toContain('line 9: record has 3 fields, the header has 15');
    const lines = (await readFile(rejects, 'utf8')).trim().split('\n').slice(1).sort();
    expect(lines).toEqual(
      [
        '3,selling_price,"12,50",is not a number (digits with an optional . and no thousands separators)',
        '4,weight_grams,1.5kg,is not a whole number',
        '5,sku,,is required',
        '6,dimensions,"{""length"": 10,",is not valid: invalid input syntax for type json',
        '7,is_active,maybe,"is not a boolean (true/false, yes/no, 1/0)"',
        '8,mrp,123.456,has more than 2 decimal places',
        '9,,"ELEC-9999999,Short row,only three fields","record has 3 fields, the header has 15"',
        `10,hsn_code,${'H'.repeat(51)},is longer than 50 characters (51)`,
      ].sort(),
    );
    expect(await snapshot(db, 'tenant_acme', 'products')).toEqual(before);
  });

  it('with --max-errors skips the bad rows and stores SQL found in values as plain text', async () => {
    const result = await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'globex', input: fixture('broken/products.csv'), maxErrors: 10 });
    expect(result).toMatchObject({ rows: 10, rejected: 8, inserted: 2 });
    const names = await db.sql`select sku, name from tenant_globex.products order by sku`;
    expect(names.map((r) => r.name)).toContain("Robert'); DROP TABLE products;--");
    const [{ n }] = await db.sql`select count(*)::int as n from tenant_globex.products`;
    expect(n).toBe(2);
  });

  it('rejects a whole order when one of its lines is bad, naming each problem', async () => {
    const rejects = join(dir, 'orders-rejects.csv');
    const failed = await importCsv(db.sql, { profile: commerce, entity: 'orders', tenant: 'globex', input: fixture('broken/orders.csv'), rejects }).catch((e: Error) => e);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toContain('6 rows are invalid');
    const text = await readFile(rejects, 'utf8');
    expect(text).toContain('3,,,belongs to an order with a rejected line (see line 4)');
    expect(text).toContain('4,payment_method,bitcoin,"is not one of: cod, prepaid, card, upi, wallet, netbanking"');
    expect(text).toContain('5,status,lost,');
    expect(text).toContain('6,order_date,15/03/2024,is not an ISO 8601 date-time');
    expect(text).toContain('7,channel,Snapdeal,is not in sales_channels; give channel_type to create it');
    expect(text).toContain('8,order_date,2024-02-30T10:00:00Z,"is not valid: date/time field value out of range');
    const [{ n }] = await db.sql`select count(*)::int as n from tenant_globex.orders`;
    expect(n).toBe(0);
    const partial = await importCsv(db.sql, { profile: commerce, entity: 'orders', tenant: 'globex', input: fixture('broken/orders.csv'), maxErrors: 6 });
    expect(partial).toMatchObject({ rejected: 6, inserted: 1, childRows: 1 });
  });

  it('refuses an order whose lines disagree on an order column, empty versus blank included', async () => {
    const rows = parse(await fixtureText('orders.csv'), { columns: false }) as string[][];
    const header = rows[0]!;
    const key = header.indexOf('external_order_id');
    const lines = rows.slice(1);
    // The first order with two lines, alone in the file (line 2 and line 3).
    const index = lines.findIndex((r, i) => lines[i + 1]?.[key] === r[key]);
    const pair = [lines[index]!, [...lines[index + 1]!]];
    const notes = header.indexOf('notes');
    pair[0]![notes] = '';
    pair[1]![notes] = '';
    const write = (name: string, second: string[]) => writeTemp(name, stringify([header, pair[0]!, second]).replace('BLANK-NOTES', '""'));
    const renamed = [...pair[1]!];
    renamed[header.indexOf('customer_name')] += ' Jr';
    for (const [file, column] of [
      [write('renamed.csv', renamed), 'customer_name'],
      // notes: an empty field is NULL, a quoted empty one is '' (docs/csv.md): they differ.
      [write('blank-notes.csv', pair[1]!.map((v, i) => (i === notes ? 'BLANK-NOTES' : v))), 'notes'],
    ] as const) {
      const failed = await importCsv(db.sql, { profile: commerce, entity: 'orders', tenant: 'initech', input: file }).catch((e: Error) => e);
      expect(failed, file).toBeInstanceOf(Error);
      expect((failed as Error).message).toContain(`line 3, column ${column}:`);
      expect((failed as Error).message).toContain('differs between lines of the same order');
    }
    const [{ n }] = await db.sql`select count(*)::int as n from tenant_initech.orders`;
    expect(n).toBe(0);
    // The same two lines, agreeing, go in.
    expect(await importCsv(db.sql, { profile: commerce, entity: 'orders', tenant: 'initech', input: write('agree.csv', pair[1]!) })).toMatchObject({ inserted: 1, childRows: 2 });
  });

  it('lists unknown and missing columns, matches header names case-insensitively, reads stdin', async () => {
    const bad = await runCli(['import', 'products', '-', '--tenant', 'initech'], { url: db.url, input: 'SKU,Nmae,colour\nA-1,x,red\n' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown columns "Nmae", "colour"; missing required column name');
    const ok = await runCli(['import', 'products', '-', '--tenant', 'initech', '--json'], { url: db.url, input: '\uFEFFSKU, Name ,Selling_Price\r\nA-1,Kurta,499\r\n\r\n' });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ source: 'stdin', inserted: 1, rows: 1 });
    const [row] = await db.sql`select sku, name, selling_price::text as price, is_active from tenant_initech.products`;
    expect(row).toEqual({ sku: 'A-1', name: 'Kurta', price: '499.00', is_active: true });
  });

  it('replace with rejected rows removes nothing: a rejected row is still in the file, and its stored row stays', async () => {
    const base = writeTemp('rep-base.csv', 'sku,name,selling_price\nR-1,a,1\nR-2,b,2\nR-3,c,3\n');
    expect((await runCli(['import', 'products', base, '--tenant', 'globex', '--json'], { url: db.url })).code).toBe(0);
    const skus = async () => (await db.sql`select sku from tenant_globex.products where sku like 'R-%' order by sku`).map((r) => r.sku as string);
    expect(await skus()).toEqual(['R-1', 'R-2', 'R-3']);
    // R-2 is in the file with a typo; R-3 is not in the file.
    const file = writeTemp('rep-typo.csv', 'sku,name,selling_price\nR-1,a2,1\nR-2,b,notanumber\n');
    const r = await runCli(['import', 'products', file, '--tenant', 'globex', '--mode', 'replace', '--yes', '--max-errors', '5'], { url: db.url });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('rejected 1');
    expect(r.stdout).toContain('replace: the rows missing from the file were NOT removed, since the file was not taken whole');
    expect(await skus()).toEqual(['R-1', 'R-2', 'R-3']);
    expect((await db.sql`select name from tenant_globex.products where sku = 'R-1'`)[0]!.name).toBe('a2');
    // Fixed, the same replace removes what the file does not hold.
    const fixed = writeTemp('rep-fixed.csv', 'sku,name,selling_price\nR-1,a2,1\nR-2,b,2\n');
    const done = await runCli(['import', 'products', fixed, '--tenant', 'globex', '--mode', 'replace', '--yes', '--json'], { url: db.url });
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout).removalSkipped).toBeUndefined();
    expect(await skus()).toEqual(['R-1', 'R-2']);
  });

  it('refuses --rejects naming the input file itself, and leaves the file as it was', async () => {
    const text = 'sku,name,selling_price\nSR-1,a,1\nSR-2,b,bad\n';
    const file = writeTemp('self-rejects.csv', text);
    const r = await runCli(['import', 'products', file, '--tenant', 'globex', '--rejects', file], { url: db.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is the input file itself');
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('insert mode refuses existing keys and duplicates; dry run writes nothing; replace needs --yes', async () => {
    const dup = await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'initech', input: writeTemp('dup.csv', 'sku,name\nA-2,One\nA-2,Two\n') }).catch((e: Error) => e);
    expect((dup as Error).message).toMatch(/line 3, column sku: "A-2" repeats the sku of an earlier line \(see line 2\)/);
    const exists = await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'initech', mode: 'insert', input: writeTemp('exists.csv', 'sku,name\nA-1,Again\n') }).catch((e: Error) => e);
    expect((exists as Error).message).toContain('line 2, column sku: "A-1" already exists (use --mode upsert to update it)');
    const dry = await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'initech', mode: 'replace', dryRun: true, input: writeTemp('dry.csv', 'sku,name\nB-1,New\n') });
    expect(dry).toMatchObject({ dryRun: true, inserted: 1, deleted: 1 });
    expect((await db.sql`select sku from tenant_initech.products`).map((r) => r.sku)).toEqual(['A-1']);
    const noYes = await runCli(['import', 'products', join(dir, 'dry.csv'), '--tenant', 'initech', '--mode', 'replace'], { url: db.url });
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain('--yes');
    const replaced = await runCli(['import', 'products', join(dir, 'dry.csv'), '--tenant', 'initech', '--mode', 'replace', '--yes', '--json'], { url: db.url });
    expect(JSON.parse(replaced.stdout)).toMatchObject({ inserted: 1, deleted: 1 });
    expect((await db.sql`select sku from tenant_initech.products`).map((r) => r.sku)).toEqual(['B-1']);
  });

  it('says which tenant is missing', async () => {
    const result = await runCli(['import', 'products', fixture('products.csv'), '--tenant', 'nosuch'], { url: db.url });
    // The one unknown-tenant error of every command: same code, same exit code (2).
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Unknown tenant: nosuch');
    const usage = await runCli(['import', 'products', fixture('products.csv')], { url: db.url });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--tenant');
  });

  function writeTemp(name: string, text: string): string {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  }
});
