import { commerce } from '../../src/tenancy/profiles/commerce.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { exportCsv } from '../../src/csv/export.js';
import { importCsv } from '../../src/csv/import.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { fixture, scratch, withTenants } from './helpers.js';

describe('tenantctl export', () => {
  let db: TestDatabase;
  const dir = scratch();
  beforeAll(async () => {
    db = await createTestDatabase();
    await withTenants(db, 'source', 'copy', 'empty', 'excel');
    await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'source', input: fixture('products.csv') });
    await importCsv(db.sql, { profile: commerce, entity: 'orders', tenant: 'source', input: fixture('orders.csv') });
  });
  afterAll(async () => db.drop());

  for (const entity of ['products', 'orders']) {
    it(`${entity}: export, import into an empty tenant, export again gives the same bytes`, async () => {
      const first = join(dir, `${entity}-1.csv`);
      const second = join(dir, `${entity}-2.csv`);
      const out = await runCli(['export', entity, '--tenant', 'source', '--out', first, '--json'], { url: db.url });
      expect(out.code, out.stderr).toBe(0);
      const summary = JSON.parse(out.stdout);
      expect(summary.rows).toBe(entity === 'products' ? 300 : 380);
      const loaded = await runCli(['import', entity, first, '--tenant', 'copy', '--json'], { url: db.url });
      expect(loaded.code, loaded.stderr).toBe(0);
      expect(JSON.parse(loaded.stdout)).toMatchObject({ rejected: 0, updated: 0 });
      await exportCsv(db.sql, { profile: commerce, entity, tenant: 'copy', output: second });
      const [a, b] = [await readFile(first), await readFile(second)];
      expect(b.length).toBeGreaterThan(1000);
      expect(b.equals(a)).toBe(true);
    });
  }

  it('cut into parts on several connections, writes the same bytes as one COPY, filters and masks included', async () => {
    const cases: { entity: string; flags: string[] }[] = [
      { entity: 'products', flags: [] },
      { entity: 'orders', flags: [] },
      { entity: 'orders', flags: ['--since', '2024-01-01', '--status', 'delivered,returned,shipped', '--mask'] },
    ];
    for (const { entity, flags } of cases) {
      const single = join(dir, `${entity}-single.csv`);
      const one = await runCli(['export', entity, '--tenant', 'source', '--out', single, '--jobs', '1', '--json', ...flags], { url: db.url });
      expect(one.code, one.stderr).toBe(0);
      expect(JSON.parse(one.stdout).jobs).toBe(1);
      for (const jobs of [2, 4]) {
        const parts = join(dir, `${entity}-jobs${jobs}.csv`);
        const out = await runCli(['export', entity, '--tenant', 'source', '--out', parts, '--jobs', String(jobs), '--json', ...flags], { url: db.url });
        expect(out.code, out.stderr).toBe(0);
        const summary = JSON.parse(out.stdout);
        expect(summary.jobs, `${entity} ${flags.join(' ')}`).toBe(jobs);
        expect(summary.rows).toBe(JSON.parse(one.stdout).rows);
        expect((await readFile(parts)).equals(await readFile(single)), `${entity} --jobs ${jobs} ${flags.join(' ')}`).toBe(true);
      }
      // To stdout as well (the parts after the first are spooled in the temp folder).
      const piped = await runCli(['export', entity, '--tenant', 'source', '--jobs', '3', ...flags], { url: db.url });
      expect(piped.code, piped.stderr).toBe(0);
      expect(piped.stdout).toBe(await readFile(single, 'utf8'));
    }
    // The spool folder next to the output is gone.
    expect((await readdir(dir)).filter((f) => f.startsWith('.tenantctl-export-'))).toEqual([]);
    const bad = await runCli(['export', 'products', '--tenant', 'source', '--jobs', '9'], { url: db.url });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--jobs must be a whole number from 1 to 4/);
  });

  it('streams to stdout with filters, summary on stderr, logged in export_logs and audit_logs', async () => {
    const out = await runCli(['export', 'orders', '--tenant', 'source', '--since', '2024-01-01', '--until', '2024-07-01', '--status', 'delivered,returned'], { url: db.url });
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^channel,channel_type,external_order_id,order_number,/);
    const [{ expected }] = await db.sql`
      select count(*)::int as expected from tenant_source.orders o join tenant_source.order_items i on i.order_id = o.id
      where o.order_date >= '2024-01-01' and o.order_date < '2024-07-01' and o.status in ('delivered', 'returned')`;
    expect(expected).toBeGreaterThan(0);
    expect(out.stderr).toContain(`exported orders of source to stdout: ${expected} rows`);
    const logs = await db.sql`select l.export_type, l.file_format, l.row_count, l.filters_applied, l.columns_exported, u.email from tenant_source.export_logs l join tenant_source.users u on u.id = l.user_id order by l.created_at desc limit 1`;
    expect(logs[0]).toMatchObject({ export_type: 'orders_csv', file_format: 'csv', row_count: expected, filters_applied: { since: '2024-01-01', until: '2024-07-01', status: ['delivered', 'returned'] }, email: 'tenantctl@system.invalid' });
    expect(logs[0]!.columns_exported).toContain('customer_phone');
    const [audit] = await db.sql`select new_values, metadata from public.audit_logs where action = 'csv.export' order by created_at desc limit 1`;
    expect(audit!.new_values).toMatchObject({ rows: expected });
  });

  it("--mask applies the tenant's own data_masking_rules to phones, emails and addresses", async () => {
    await db.sql`update tenant_source.data_masking_rules set mask_pattern = '###*******' where field_name = 'customer_phone'`;
    const file = join(dir, 'masked.csv');
    const summary = await exportCsv(db.sql, { profile: commerce, entity: 'orders', tenant: 'source', output: file, mask: true });
    expect(summary.masked).toEqual({ customer_phone: 'customer_phone', customer_email: 'customer_email', shipping_address: 'full_address', billing_address: 'full_address' });
    const text = await readFile(file, 'utf8');
    const [order] = await db.sql`select customer_phone, customer_email from tenant_source.orders where customer_email is not null order by external_order_id limit 1`;
    expect(text).not.toContain(order!.customer_phone);
    expect(text).not.toContain(order!.customer_email);
    expect(text).toContain(`${order!.customer_phone.slice(0, 3)}*******,`);
    expect(text).toContain(`${order!.customer_email.slice(0, 2)}**@***.***`);
    expect(text).not.toContain('Bengaluru');
  });

  it('refuses --status on products and bad dates, and exports an empty tenant as a header only', async () => {
    const status = await runCli(['export', 'products', '--tenant', 'source', '--status', 'active'], { url: db.url });
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('--status does not apply to products');
    const bogus = await runCli(['export', 'orders', '--tenant', 'source', '--status', 'bogus'], { url: db.url });
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain('error: --status bogus is not a status of orders.');
    const since = await runCli(['export', 'orders', '--tenant', 'source', '--since', 'yesterday-ish'], { url: db.url });
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since/--until must be ISO 8601');
    const empty = await runCli(['export', 'products', '--tenant', 'empty'], { url: db.url });
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toBe('sku,name,description,category,brand,weight_grams,dimensions,hsn_code,cost_price,selling_price,mrp,tax_rate,images,attributes,is_active\n');
  });

  it('--excel-safe quotes text cells a spreadsheet would run as formulas; without it the values are exported as they are', async () => {
    await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'excel', input: fixture('products.csv') });
    await importCsv(db.sql, { profile: commerce, entity: 'orders', tenant: 'excel', input: fixture('orders.csv') });
    const [product] = await db.sql`select sku from tenant_excel.products order by sku collate "C" limit 1`;
    await db.sql`update tenant_excel.products set name = '=HYPERLINK("http://evil.example","click")', description = ${'\tTabbed'}, brand = '@SUM(A1:A9)',
      category = ${"+cmd|' /C calc'!A0"}, hsn_code = '-2+3' where sku = ${product!.sku}`;
    const [order] = await db.sql`select id from tenant_excel.orders order by external_order_id collate "C" limit 1`;
    await db.sql`update tenant_excel.orders set customer_name = '=1+1', notes = ${'\rcarriage'} where id = ${order!.id}`;
    await db.sql`update tenant_excel.order_items set name = '-1 item' where order_id = ${order!.id}`;
    for (const entity of ['products', 'orders']) {
      const plain = await runCli(['export', entity, '--tenant', 'excel'], { url: db.url });
      const safe = await runCli(['export', entity, '--tenant', 'excel', '--excel-safe', '--jobs', '2'], { url: db.url });
      expect(plain.code, plain.stderr).toBe(0);
      expect(safe.code, safe.stderr).toBe(0);
      const [a, b] = [parse(plain.stdout) as string[][], parse(safe.stdout) as string[][]];
      expect(b).toHaveLength(a.length);
      const changed: string[] = [];
      a.forEach((row, r) => row.forEach((cell, c) => {
        if (b[r]![c] === cell) return;
        // Only a leading quote is added, and only to cells that start like a formula.
        expect(b[r]![c]).toBe(`'${cell}`);
        expect(cell).toMatch(/^[-=+@\t\r]/);
        changed.push(cell);
      }));
      expect(changed.sort()).toEqual(entity === 'products'
        ? ["+cmd|' /C calc'!A0", '-2+3', '=HYPERLINK("http://evil.example","click")', '@SUM(A1:A9)', '\tTabbed'].sort()
        : expect.arrayContaining(['=1+1', '\rcarriage', '-1 item']));
      // Nothing but text cells: a negative amount stays a number.
      if (entity === 'orders') expect(changed.every((c) => !/^-\d+(\.\d+)?$/.test(c))).toBe(true);
    }
    // With --mask too: masked cells are checked after masking (a masked phone keeps its +).
    const masked = await runCli(['export', 'orders', '--tenant', 'excel', '--mask', '--excel-safe'], { url: db.url });
    expect(masked.code, masked.stderr).toBe(0);
    const rows = parse(masked.stdout) as string[][];
    const phone = rows[0]!.indexOf('customer_phone');
    expect(rows.slice(1).some((r) => r[phone]!.startsWith("'+"))).toBe(true);
    expect(rows.flat().filter((cell) => /^[=+@\t\r]/.test(cell))).toEqual([]);
  });
});
