import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareSession } from '../../src/monitor/session.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { eventually } from './helpers.js';

// `monitor vacuum` reads pg_class and the statistics functions itself instead of
// pg_stat_user_tables (whose per-table index sums cost seconds on 10,000 tenants): it must still
// list exactly the view's tables with the view's figures, in each sort order.

interface Row { schema: string; table: string; liveTuples: number; deadTuples: number; autovacuumDue: boolean; xidAge: number }

describe('monitor vacuum: the tables and figures of pg_stat_user_tables, in each order', () => {
  let db: TestDatabase;
  const vacuum = async (...args: string[]) => {
    const r = await runCli(['monitor', 'vacuum', '--schema', 'vac_cases', '--json', ...args], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { matched: number; tables: Row[] };
  };

  beforeAll(async () => {
    db = await createTestDatabase('vac');
    await db.sql`create schema vac_cases`;
    // "few": 50 dead rows past its own threshold of 5; "many": 40 dead rows, under the default
    // 50 + 20% of 1,000. Autovacuum off on both so the dead rows stay.
    await db.sql`create table vac_cases.few (a int) with (autovacuum_enabled = false, autovacuum_vacuum_threshold = 5, autovacuum_vacuum_scale_factor = 0)`;
    await db.sql`create table vac_cases.many (a int) with (autovacuum_enabled = false)`;
    await db.sql`insert into vac_cases.few select generate_series(1, 100)`;
    await db.sql`insert into vac_cases.many select generate_series(1, 1000)`;
    await db.sql`analyze vac_cases.many`;
    await db.sql`delete from vac_cases.few where a <= 50`;
    await db.sql`delete from vac_cases.many where a <= 40`;
    // A partitioned parent (no storage: left out) with one partition, and a materialized view.
    await db.sql`create table vac_cases.parted (a int) partition by range (a)`;
    await db.sql`create table vac_cases.parted_1 partition of vac_cases.parted for values from (0) to (10)`;
    await db.sql`create materialized view vac_cases.mv as select 1 as a`;
  });
  afterAll(async () => db?.drop());

  it('lists the view\'s tables (no partitioned parent) with its dead and live tuples, most dead first', async () => {
    const report = await eventually(async () => {
      const r = await vacuum();
      return r.tables[0]?.deadTuples === 50 && r.tables[1]?.deadTuples === 40 ? r : undefined;
    }, 'dead tuples of few and many');
    const view = await db.sql<{ relname: string; n_live_tup: string; n_dead_tup: string }[]>`
      select s.relname, s.n_live_tup, s.n_dead_tup from pg_stat_user_tables s join pg_class c on c.oid = s.relid
      where s.schemaname = 'vac_cases' and c.relkind <> 'p'`;
    expect(report.matched).toBe(view.length);
    expect(report.tables.map((t) => t.table)).toEqual(['few', 'many', 'mv', 'parted_1']);
    for (const v of view) {
      const row = report.tables.find((t) => t.table === v.relname)!;
      expect(row, v.relname).toMatchObject({ schema: 'vac_cases', liveTuples: Number(v.n_live_tup), deadTuples: Number(v.n_dead_tup) });
    }
    // Due by its own reloptions (5 + 0 x rows), not by the server's defaults.
    expect(report.tables.find((t) => t.table === 'few')!.autovacuumDue).toBe(true);
    expect(report.tables.find((t) => t.table === 'many')!.autovacuumDue).toBe(false);
    // --limit keeps the order and still counts every table.
    const top = await vacuum('--limit', '1');
    expect(top.tables.map((t) => t.table)).toEqual(['few']);
    expect(top.matched).toBe(view.length);
  });

  it('--sort age orders by relfrozenxid age, --sort stale puts the never-analyzed first, by name', async () => {
    const byAge = await vacuum('--sort', 'age');
    const expected = await db.sql<{ relname: string; age: string }[]>`
      select relname, age(relfrozenxid)::bigint as age from pg_class
      where relnamespace = 'vac_cases'::regnamespace and relkind in ('r', 'm') order by age(relfrozenxid) desc, relname`;
    expect(byAge.tables.map((t) => t.table)).toEqual(expected.map((e) => e.relname));
    // age() counts transactions since relfrozenxid, and test files running beside this one
    // take transaction ids between the report's query and this one: every age may have grown
    // by the same amount since the report, never by different amounts.
    const grown = Number(expected[0]!.age) - byAge.tables[0]!.xidAge;
    expect(grown).toBeGreaterThanOrEqual(0);
    expect(byAge.tables.map((t) => t.xidAge + grown)).toEqual(expected.map((e) => Number(e.age)));
    const stale = await vacuum('--sort', 'stale');
    // Only "many" was analyzed: the never-analyzed come first, by name.
    expect(stale.tables.map((t) => t.table)).toEqual(['few', 'mv', 'parted_1', 'many']);
  });

  it('the monitoring session turns JIT off: a report runs once, so compiling it is pure cost', async () => {
    const sql = db.sql;
    await sql.begin(async (tx) => {
      await prepareSession(tx as unknown as typeof sql);
      const [{ jit }] = await tx`select current_setting('jit') as jit`;
      expect(jit).toBe('off');
    });
  });
});
