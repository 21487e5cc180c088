import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../../src/db/queries.js';
import { catalogTableSizes } from '../../src/monitor/sizes.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/**
 * src/sql/monitor/schema-totals.sql (the totals of `monitor tenant-sizes --limit` and `tenant
 * list` on a big fleet) counts each table's TOAST as the usual empty TOAST table with its
 * one-page index while it reads pg_class, and joins to their tables only the pg_toast
 * relations that differ; so does table-sizes.sql per table. Every kind of difference must
 * still add up to the pages of the TOAST table and its indexes.
 */
describe('schema-totals and table-sizes: every table\'s TOAST, usual or not', () => {
  let db: TestDatabase;
  const schemas = ['st_usual', 'st_data', 'st_rewritten', 'st_shrunk', 'st_notoast', 'st_matview', 'st_indexes'];
  // ~8 kB values that do not compress (md5 text), stored out of line.
  const big = (n: number) => `select g as id, (select string_agg(md5(g::text || i::text), '') from generate_series(1, 250) i) as body from generate_series(1, ${n}) g`;

  beforeAll(async () => {
    db = await createTestDatabase('sttot');
    for (const schema of schemas) await db.sql.unsafe(`create schema ${schema}`);
    await db.sql`create table st_usual.t (id int primary key, body text)`;
    await db.sql`insert into st_usual.t select g, 'short' from generate_series(1, 100) g`;
    await db.sql.unsafe(`create table st_data.t as ${big(300)}`);
    // A rewrite: new files for the table, its TOAST table and TOAST index, names kept.
    await db.sql.unsafe(`create table st_rewritten.t as ${big(200)}`);
    await db.sql`vacuum full st_rewritten.t`;
    // Values deleted: the TOAST table shrinks, its index keeps its pages.
    await db.sql.unsafe(`create table st_shrunk.t as ${big(300)}`);
    await db.sql`delete from st_shrunk.t`;
    await db.sql`create table st_notoast.t (a int, b bigint)`;
    await db.sql`insert into st_notoast.t select g, g from generate_series(1, 1000) g`;
    await db.sql.unsafe(`create materialized view st_matview.mv as ${big(100)}`);
    // table-sizes counts every index as one page and adds what the others differ by: empty
    // indexes of one page, indexes of many pages, and a BRIN index (its own page count).
    await db.sql`create table st_indexes.empty (a int, b int, c text)`;
    await db.sql`create index on st_indexes.empty (a)`;
    await db.sql`create index on st_indexes.empty (b)`;
    await db.sql`create index on st_indexes.empty (c)`;
    await db.sql`create table st_indexes.full (a int primary key, b int, c text)`;
    await db.sql`insert into st_indexes.full select g, g % 7, md5(g::text) from generate_series(1, 5000) g`;
    await db.sql`create index on st_indexes.full (c)`;
    await db.sql`create index on st_indexes.full using brin (b)`;
    await db.sql`create index on st_indexes.full (b) where b = 3`;
    await db.sql`vacuum analyze st_usual.t, st_data.t, st_rewritten.t, st_shrunk.t, st_notoast.t, st_matview.mv, st_indexes.empty, st_indexes.full`;
  });
  afterAll(async () => db?.drop());

  it('adds the pages of each TOAST table and TOAST index to the schema of its table', async () => {
    const expected = await db.sql<{ schema: string; tables: number; pages: number; toast: number; toast_index_pages: number }[]>`
      select n.nspname as schema, count(*)::int as tables,
             sum(c.relpages
                 + coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = c.oid), 0)
                 + coalesce(t.relpages, 0)
                 + coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = t.oid), 0))::int as pages,
             sum(coalesce(t.relpages, 0))::int as toast,
             sum(coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = t.oid), 0))::int as toast_index_pages
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_class t on t.oid = c.reltoastrelid
      where n.nspname = any(${schemas}) and c.relkind in ('r', 'm')
      group by n.nspname`;
    const byName = new Map(expected.map((e) => [e.schema, e]));
    // The cases are what they say: TOAST with pages, a rewritten one, a shrunk one with a big index.
    expect(byName.get('st_data')!.toast).toBeGreaterThan(100);
    expect(byName.get('st_matview')!.toast).toBeGreaterThan(10);
    const [rewritten] = await db.sql<{ owner_named: boolean }[]>`
      select t.relname = 'pg_toast_' || c.oid as owner_named from pg_class c join pg_class t on t.oid = c.reltoastrelid
      where c.oid = 'st_rewritten.t'::regclass`;
    expect(rewritten!.owner_named).toBe(true);
    expect(byName.get('st_shrunk')!.toast_index_pages).toBeGreaterThan(1);
    expect(byName.get('st_usual')!.toast_index_pages).toBe(1);
    const [pages] = await db.sql<{ one: number; other: number }[]>`
      select count(*) filter (where i.relpages = 1)::int as one, count(*) filter (where i.relpages <> 1)::int as other
      from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
      where t.relnamespace = 'st_indexes'::regnamespace`;
    expect(pages!.one).toBeGreaterThanOrEqual(3);
    expect(pages!.other).toBeGreaterThanOrEqual(3);

    const [{ bs }] = await db.sql<{ bs: number }[]>`select current_setting('block_size')::int as bs`;
    const rows = await query(db.sql, 'monitor/schema-totals', [schemas]);
    expect(rows.map((r) => r.schema).sort()).toEqual([...schemas].sort());
    for (const row of rows) {
      const e = byName.get(String(row.schema))!;
      expect({ tables: row.tables, bytes: Number(row.total_bytes) }, String(row.schema)).toEqual({ tables: e.tables, bytes: e.pages * bs });
    }
  });

  it('table-sizes: the same TOAST bytes per table, and the tables in order of their totals', async () => {
    const expected = await db.sql<{ schema: string; table: string; heap: number; idx: number; toast: number }[]>`
      select n.nspname as schema, c.relname as table, c.relpages as heap,
             coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = c.oid), 0)::int as idx,
             (coalesce(t.relpages, 0) + coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = t.oid), 0))::int as toast
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_class t on t.oid = c.reltoastrelid
      where n.nspname = any(${schemas}) and c.relkind in ('r', 'm')`;
    const [{ bs }] = await db.sql<{ bs: number }[]>`select current_setting('block_size')::int as bs`;
    const rows = await catalogTableSizes(db.sql, 'monitor/table-sizes', [schemas, 20]);
    expect(rows.length).toBe(expected.length);
    for (const row of rows) {
      const e = expected.find((x) => x.schema === row.schema && x.table === row.table)!;
      expect({ table: Number(row.table_bytes), index: Number(row.index_bytes), toast: Number(row.toast_bytes), total: Number(row.total_bytes) }, `${String(row.schema)}.${String(row.table)}`)
        .toEqual({ table: e.heap * bs, index: e.idx * bs, toast: e.toast * bs, total: (e.heap + e.idx + e.toast) * bs });
    }
    const totals = rows.map((r) => Number(r.total_bytes));
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
  });
});
