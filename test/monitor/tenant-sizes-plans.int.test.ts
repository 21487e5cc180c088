import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableSizes, tenantSizes, type TenantSize } from '../../src/monitor/sizes.js';
import { schemaPerTenant } from '../../src/tenancy/strategy.js';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';

/**
 * issue 19: `monitor tenant-sizes` picks its plan by how many schemas it sizes and shows (index
 * lookups for a few, one pass over pg_class for the totals of many plus lookups for the
 * largest table of the page, one pass with the largest tables for all of many). Every plan
 * must give the same rows, with TOAST and index bytes in the totals and the largest table.
 */
describe('monitor tenant-sizes: the same figures whichever plan sizes the schemas', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('tsplan');
    await migrateAll(db.sql);
    for (const slug of ['toasty', 'indexed', 'plain']) await addTenantRow(db.sql, slug);
    await migrateAll(db.sql);
    // The row estimates asserted below are those of the ANALYZE this test runs: autovacuum must
    // not analyze the rows the migrations seed meanwhile (it did once in CI: 18,121 rows, not 18,000).
    await db.sql`do $$ declare t regclass; begin
                   for t in select c.oid::regclass from pg_class c
                            where c.relnamespace in ('tenant_toasty'::regnamespace, 'tenant_indexed'::regnamespace, 'tenant_plain'::regnamespace) and c.relkind = 'r'
                   loop execute format('alter table %s set (autovacuum_enabled = false)', t); end loop;
                 end $$`;
    // TOAST: values of ~8 kB that do not compress (md5 text), stored out of line.
    await db.sql`create table tenant_toasty.docs (id int primary key, body text)`;
    await db.sql`insert into tenant_toasty.docs select g, (select string_agg(md5(g::text || i::text), '') from generate_series(1, 250) i) from generate_series(1, 600) g`;
    // Index bytes decide the largest table: "lean" has the smaller heap but four indexes.
    await db.sql`create table tenant_indexed.heapy (a int, pad text)`;
    await db.sql`insert into tenant_indexed.heapy select g, repeat('x', 60) from generate_series(1, 6000) g`;
    await db.sql`create table tenant_indexed.lean (a int, b int, c int, d int)`;
    await db.sql`insert into tenant_indexed.lean select g, g, g, g from generate_series(1, 12000) g`;
    for (const column of ['a', 'b', 'c', 'd']) await db.sql.unsafe(`create index on tenant_indexed.lean (${column})`);
    await db.sql`vacuum analyze tenant_toasty.docs, tenant_indexed.heapy, tenant_indexed.lean`;
  });
  afterAll(async () => db?.drop());

  /** Pages per table from pg_class and pg_index, written out plainly: heap, indexes, TOAST table, TOAST indexes. */
  async function tablePages(schema: string): Promise<Map<string, { pages: number; heap: number; toast: number }>> {
    const rows = await db.sql<{ relname: string; heap: number; idx: number; toast: number }[]>`
      select c.relname, c.relpages as heap,
             coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = c.oid), 0)::int as idx,
             (coalesce(t.relpages, 0) + coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = t.oid), 0))::int as toast
      from pg_class c left join pg_class t on t.oid = c.reltoastrelid
      where c.relnamespace = ${schema}::regnamespace and c.relkind in ('r', 'm')`;
    return new Map(rows.map((r) => [r.relname, { pages: r.heap + r.idx + r.toast, heap: r.heap, toast: r.toast }]));
  }

  const sizes = async (options: Parameters<typeof tenantSizes>[2]): Promise<TenantSize[]> => (await tenantSizes(db.sql, schemaPerTenant, options)).rows;

  it('counts TOAST and index bytes in the totals and in the largest table', async () => {
    const [{ bs }] = await db.sql<{ bs: number }[]>`select current_setting('block_size')::int as bs`;
    const rows = await sizes({ sort: 'name' });
    for (const row of rows) {
      const pages = await tablePages(row.schema);
      const largest = [...pages.entries()].sort((a, b) => b[1].pages - a[1].pages || a[0].localeCompare(b[0]))[0]!;
      expect(row.totalBytes, row.tenant).toBe([...pages.values()].reduce((n, p) => n + p.pages, 0) * bs);
      expect(row.tables, row.tenant).toBe(pages.size);
      expect({ table: row.largestTable, bytes: row.largestBytes }, row.tenant).toEqual({ table: largest[0], bytes: largest[1].pages * bs });
    }
    const toasty = rows.find((r) => r.tenant === 'toasty')!;
    const docs = (await tablePages('tenant_toasty')).get('docs')!;
    expect(toasty.largestTable).toBe('docs');
    expect(docs.toast).toBeGreaterThan(docs.heap * 10);
    const indexed = rows.find((r) => r.tenant === 'indexed')!;
    const lean = (await tablePages('tenant_indexed')).get('lean')!;
    const heapy = (await tablePages('tenant_indexed')).get('heapy')!;
    expect(lean.heap).toBeLessThan(heapy.heap);
    expect(indexed.largestTable).toBe('lean');
    // Row estimates after ANALYZE: the rows inserted, plus the (empty) tables of the migrations.
    expect(indexed.rows).toBe(18000);
    expect(toasty.rows).toBe(600);
    expect(indexed.neverAnalyzed).toBe(indexed.tables - 2);
  });

  it('table-sizes splits each table into heap, index and TOAST bytes', async () => {
    const [{ bs }] = await db.sql<{ bs: number }[]>`select current_setting('block_size')::int as bs`;
    const report = await tableSizes(db.sql, schemaPerTenant, { schemas: ['tenant_toasty', 'tenant_indexed'], limit: 3 });
    const pages = new Map([...(await tablePages('tenant_toasty')), ...(await tablePages('tenant_indexed'))]);
    expect(report.rows.map((r) => r.table)).toEqual(['docs', 'lean', 'heapy']);
    for (const row of report.rows) {
      const p = pages.get(row.table)!;
      expect(row, row.table).toMatchObject({ tableBytes: p.heap * bs, toastBytes: p.toast * bs, indexBytes: (p.pages - p.heap - p.toast) * bs, totalBytes: p.pages * bs });
    }
    expect(report.rows[0]!.toastBytes).toBeGreaterThan(report.rows[0]!.tableBytes! * 10);
    expect(report.rows[1]!.indexBytes).toBeGreaterThan(report.rows[1]!.tableBytes!);
  });

  it('table-sizes gives the same rows from lookups (a few schemas named) as from one pass over the catalog', async () => {
    // A partition and a materialized view with indexes, besides docs (TOAST) and the tenants' own tables.
    await db.sql`create table tenant_plain.parted (a int, b text) partition by range (a)`;
    await db.sql`create table tenant_plain.parted_1 partition of tenant_plain.parted for values from (0) to (1000)`;
    await db.sql`insert into tenant_plain.parted select g, g::text from generate_series(1, 999) g`;
    await db.sql`create index on tenant_plain.parted (b)`;
    await db.sql`create materialized view tenant_plain.mv as select a, b from tenant_plain.parted`;
    await db.sql`create index on tenant_plain.mv (a)`;
    await db.sql`vacuum analyze tenant_plain.parted_1, tenant_plain.mv`;
    const schemas = ['tenant_toasty', 'tenant_indexed', 'tenant_plain'];
    const lookedUp = await tableSizes(db.sql, schemaPerTenant, { schemas, limit: 1000 });
    const passed = await tableSizes(db.sql, schemaPerTenant, { schemas, limit: 1000, lookupSchemas: 0 });
    expect(lookedUp).toEqual(passed);
    expect(lookedUp.rows.map((r) => r.table)).toEqual(expect.arrayContaining(['docs', 'lean', 'parted_1', 'mv']));
    expect(lookedUp.matched).toBe(lookedUp.rows.length);
    const top = await tableSizes(db.sql, schemaPerTenant, { schemas, limit: 2 });
    expect(top.rows).toEqual(lookedUp.rows.slice(0, 2));
    expect(top.matched).toBe(lookedUp.matched);
    // System schemas are never sized, named or not, by either.
    for (const lookupSchemas of [0, 100]) expect((await tableSizes(db.sql, schemaPerTenant, { schemas: ['pg_catalog', 'pg_toast'], lookupSchemas })).rows).toEqual([]);
  });

  it('gives the same rows from lookups, from one pass, and from a pass for the totals with lookups for the page', async () => {
    const lookups = await sizes({ lookupSchemas: 1000 });
    const pass = await sizes({ lookupSchemas: 0 });
    const paged = await sizes({ lookupSchemas: 2, limit: 2 });
    expect(lookups.map((r) => r.tenant)).toEqual(['toasty', 'indexed', 'plain']);
    expect(pass).toEqual(lookups);
    expect(paged).toEqual(lookups.slice(0, 2));
    const byRows = await sizes({ lookupSchemas: 1, limit: 1, sort: 'rows' });
    expect(byRows).toEqual([lookups.find((r) => r.tenant === 'indexed')]);
    const byName = await sizes({ lookupSchemas: 2, limit: 2, sort: 'name' });
    expect(byName).toEqual(['indexed', 'plain'].map((slug) => lookups.find((r) => r.tenant === slug)));
  });

  it('sizes a page of the fleet from the CLI with the largest table of each row shown', async () => {
    const r = await runCli(['monitor', 'tenant-sizes', '--limit', '2', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ source: 'catalog', tenants: 3, matched: 3 });
    expect(report.rows.map((row: TenantSize) => [row.tenant, row.largestTable])).toEqual([['toasty', 'docs'], ['indexed', 'lean']]);
  });
});
