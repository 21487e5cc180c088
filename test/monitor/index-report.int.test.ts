import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderedQuery } from '../../src/db/queries.js';
import { hasStats, indexReport, indexSources } from '../../src/monitor/indexes.js';
import { prepareSession } from '../../src/monitor/session.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { eventually } from './helpers.js';

// `monitor indexes` runs two statements side by side (src/sql/monitor/indexes.sql with the
// statistics, index-duplicates.sql grouped by sorting) instead of one pass that joined and
// grouped every index: the findings must be those of the rules, whatever the plan.

interface Finding { kind: string; schema: string; table: string; index: string; sizeBytes: number; coveredBy: string | null }
interface Report { hitRate: { hits: number; reads: number }; counts: { unused: number; duplicate: number; invalid: number }; findings: Finding[] }

describe('monitor indexes: unused, duplicate and the hit rate by the rules, per schema', () => {
  let db: TestDatabase;
  const indexes = async (...args: string[]): Promise<Report> => {
    const r = await runCli(['monitor', 'indexes', '--json', ...args], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Report;
  };
  const names = (report: Report, kind: string) => report.findings.filter((f) => f.kind === kind).map((f) => f.index).sort();

  beforeAll(async () => {
    db = await createTestDatabase('idx');
    await db.sql`create schema idx_cases`;
    await db.sql`create table idx_cases.t (a int primary key, b int, c int, d int, f text, r int4range, exclude using gist (r with &&))`;
    await db.sql`insert into idx_cases.t select g, g, g % 7, g, g::text, int4range(g, g + 1) from generate_series(1, 5000) g`;
    // Rules, not plans: unique, primary-key and exclusion indexes are never "unused".
    await db.sql`create unique index t_b_unique on idx_cases.t (b)`;
    // Plain indexes: one on 5,000 distinct values (several pages), one on a single row's worth.
    await db.sql`create index t_d_big on idx_cases.t (d)`;
    await db.sql`create index t_c_small on idx_cases.t (c) where c = 99`;
    // Same column, another access method or operator class: not duplicates of each other.
    await db.sql`create index t_c_hash on idx_cases.t using hash (c)`;
    await db.sql`create index t_f on idx_cases.t (f)`;
    await db.sql`create index t_f_pattern on idx_cases.t (f text_pattern_ops)`;
    // The primary key's column again, plain: a duplicate of the primary key.
    await db.sql`create index t_a_again on idx_cases.t (a)`;
    // A scanned plain index is not unused.
    await db.sql`create index t_d_scanned on idx_cases.t (d, c)`;
    await db.sql`analyze idx_cases.t`;
    await db.sql.begin(async (tx) => {
      await tx`set local enable_seqscan = off`;
      await tx`set local enable_bitmapscan = off`;
      await tx`select count(*) from idx_cases.t where d = 10 and c = 3`;
    });
    // The same duplicate in a schema outside the filter.
    await db.sql`create schema idx_other`;
    await db.sql`create table idx_other.u (a int primary key)`;
    await db.sql`create index u_a_again on idx_other.u (a)`;
  });
  afterAll(async () => db?.drop());

  it('unused: plain never-scanned indexes only, largest first, all of them counted', async () => {
    const report = await eventually(async () => {
      const r = await indexes('--schema', 'idx_cases');
      return names(r, 'unused').includes('t_d_scanned') ? undefined : r;
    }, 'the scan of t_d_scanned in the statistics');
    expect(names(report, 'unused')).toEqual(['t_a_again', 't_c_hash', 't_c_small', 't_d_big', 't_f', 't_f_pattern']);
    expect(report.counts.unused).toBe(6);
    const unused = report.findings.filter((f) => f.kind === 'unused');
    expect(unused.map((f) => f.sizeBytes)).toEqual([...unused.map((f) => f.sizeBytes)].sort((x, y) => y - x));
    const [{ pages }] = await db.sql<{ pages: number }[]>`select relpages as pages from pg_class where oid = 'idx_cases.t_c_small'::regclass`;
    expect(unused.find((f) => f.index === 't_c_small')!.sizeBytes).toBe(pages * 8192);
    // --limit keeps the largest and still counts every match.
    const top = await indexes('--schema', 'idx_cases', '--limit', '1');
    const largest = unused.reduce((a, b) => (b.sizeBytes > a.sizeBytes ? b : a));
    expect(top.findings.filter((f) => f.kind === 'unused').map((f) => f.index)).toEqual([largest.index]);
    expect(top.counts.unused).toBe(6);
  });

  it('duplicate/redundant: same table, method, columns and operator classes; only in the schemas asked for', async () => {
    const report = await indexes('--schema', 'idx_cases');
    const dup = report.findings.filter((f) => f.kind === 'duplicate' || f.kind === 'redundant');
    // t_d_big (d) is also the leading column of t_d_scanned (d, c): redundant.
    expect(dup.map((f) => `${f.kind}:${f.index}:${f.coveredBy}`).sort()).toEqual(['duplicate:t_a_again:t_pkey', 'redundant:t_d_big:t_d_scanned']);
    expect(report.counts.duplicate).toBe(2);
    const all = await indexes('--limit', '100');
    expect(all.findings.filter((f) => f.kind === 'duplicate').map((f) => `${f.schema}.${f.index}`).sort()).toEqual(['idx_cases.t_a_again', 'idx_other.u_a_again']);
    const other = await indexes('--schema', 'idx_other');
    expect(other.findings.map((f) => `${f.kind}:${f.index}`)).toEqual(['duplicate:u_a_again', 'unused:u_a_again']);
  });

  it('duplicate/redundant: an index with another sort order (DESC, NULLS FIRST) is neither', async () => {
    await db.sql`create schema idx_order`;
    await db.sql`create table idx_order.o (x int, y int)`;
    await db.sql`create index o_xy on idx_order.o (x, y)`;
    await db.sql`create index o_xy_desc on idx_order.o (x, y desc)`;
    await db.sql`create index o_xy_nulls_first on idx_order.o (x, y nulls first)`;
    await db.sql`create index o_x_desc on idx_order.o (x desc)`;
    await db.sql`create index o_x on idx_order.o (x)`;
    await db.sql`create index o_xy_again on idx_order.o (x, y)`;
    const report = await indexes('--schema', 'idx_order');
    const dup = report.findings.filter((f) => f.kind === 'duplicate' || f.kind === 'redundant');
    expect(dup.map((f) => `${f.kind}:${f.index}:${f.coveredBy}`).sort()).toEqual(['duplicate:o_xy_again:o_xy', 'redundant:o_x:o_xy']);
  });

  it('hit rate: the sums of pg_statio_user_indexes for the schema', async () => {
    const view = async () => (await db.sql<{ hits: string; reads: string }[]>`
      select coalesce(sum(idx_blks_hit), 0) as hits, coalesce(sum(idx_blks_read), 0) as reads
      from pg_statio_user_indexes where schemaname = 'idx_cases'`)[0];
    // The counters move only when something reads these indexes; read them on both sides of the report.
    const { before, report } = await eventually(async () => {
      const b = await view();
      const r = await indexes('--schema', 'idx_cases');
      const a = await view();
      return b.hits === a.hits && b.reads === a.reads ? { before: b, report: r } : undefined;
    }, 'index counters at rest');
    expect(Number(before.hits) + Number(before.reads)).toBeGreaterThan(0);
    expect(report.hitRate).toMatchObject({ hits: Number(before.hits), reads: Number(before.reads) });
  });

  it('the statistics statement without pg_stat_have_stats (PostgreSQL 14, or not granted) finds what the one with it finds', async () => {
    // The indexes with no statistics entry (t_d_big…) take the has-stats shortcut where the
    // session may call pg_stat_have_stats; the other form reads every index's counters. Both
    // must say the same here. `callable` forced, or the session's own when not given.
    const run = (callable?: boolean) => db.sql.begin(async (tx) => {
      const { haveStatsCallable } = await prepareSession(tx);
      return renderedQuery<Record<string, unknown>>(tx, 'monitor/indexes', { ...indexSources([], 0), 'has.stats': hasStats(callable ?? haveStatsCallable) }, [['idx_cases'], 50]);
    });
    const shown = (rows: Record<string, unknown>[]) => rows.map((r) => [r.kind, r.index, r.scans, r.unused_matched, r.hits, r.reads].join(' ')).sort();
    const { modern, older } = await eventually(async () => {
      const m = await run();
      const o = await run(false);
      return JSON.stringify(shown(m)) === JSON.stringify(shown(await run())) ? { modern: m, older: o } : undefined;
    }, 'index counters at rest');
    expect(shown(older)).toEqual(shown(modern));
    expect(modern.filter((r) => r.kind === 'unused').map((r) => r.index).sort()).toEqual(['t_a_again', 't_c_hash', 't_c_small', 't_d_big', 't_f', 't_f_pattern']);
  });

  it('a few schemas named: their indexes found through the catalog\'s indexes give the report of the pass over the whole catalog', async () => {
    // Every kind of relation an index can belong to: a partitioned table and its partition, a
    // materialized view, and an index left invalid by a failed CREATE INDEX CONCURRENTLY.
    await db.sql`create schema idx_kinds`;
    await db.sql`create table idx_kinds.p (a int, b int) partition by range (a)`;
    await db.sql`create table idx_kinds.p1 partition of idx_kinds.p for values from (0) to (100)`;
    await db.sql`create index p_b on idx_kinds.p (b)`;
    await db.sql`create index p_b_again on idx_kinds.p (b)`;
    await db.sql`insert into idx_kinds.p select g % 100, 1 from generate_series(1, 300) g`;
    await db.sql`create materialized view idx_kinds.m as select a, b from idx_kinds.p`;
    await db.sql`create index m_a on idx_kinds.m (a)`;
    await db.sql`create unique index concurrently p1_b_unique on idx_kinds.p1 (b)`.catch(() => undefined);
    const [{ invalid }] = await db.sql<{ invalid: boolean }[]>`select not indisvalid as invalid from pg_index where indexrelid = 'idx_kinds.p1_b_unique'::regclass`;
    expect(invalid).toBe(true);
    const schemas = ['idx_kinds', 'idx_cases'];
    const shown = (r: Awaited<ReturnType<typeof indexReport>>) => JSON.stringify({ ...r, findings: r.findings.map((f) => ({ ...f, scans: null })) });
    const { lookedUp, passed } = await eventually(async () => {
      const l = await indexReport(db.sql, { schemas, limit: 100 });
      const p = await indexReport(db.sql, { schemas, limit: 100, lookupSchemas: 0 });
      return shown(l) === shown(await indexReport(db.sql, { schemas, limit: 100 })) ? { lookedUp: l, passed: p } : undefined;
    }, 'index counters at rest');
    expect(shown(lookedUp)).toEqual(shown(passed));
    const kinds = lookedUp.findings.filter((f) => f.schema === 'idx_kinds').map((f) => `${f.kind}:${f.index}`).sort();
    expect(kinds).toEqual(expect.arrayContaining(['duplicate:p_b_again', 'invalid:p1_b_unique', 'unused:m_a', 'unused:p_b']));
    expect(kinds.some((k) => /^unused:p1_b_(again_)?idx/.test(k))).toBe(true);
    expect(lookedUp.counts.invalid).toBe(1);
  });
});
