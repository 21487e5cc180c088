import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { eventually, expectPrometheus } from './helpers.js';

const json = async (args: string[], db: TestDatabase) => {
  const r = await runCli(['monitor', ...args, '--json'], { url: db.url });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('monitor reports on a database with two tenants', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('mon');
    await db.sql`create extension if not exists pg_stat_statements`;
    await migrateAll(db.sql);
    await addTenantRow(db.sql, 'big');
    await addTenantRow(db.sql, 'small');
    await migrateAll(db.sql);
    // A table made large in tenant "big"; ANALYZE so relpages/reltuples are fresh.
    await db.sql`create table tenant_big.archive as select g as id, repeat('x', 200) as body from generate_series(1, 20000) g`;
    await db.sql`analyze tenant_big.archive`;
    // Indexes: one never used, one an exact duplicate of another, in a schema of their own.
    await db.sql`create schema monitor_demo`;
    await db.sql`create table monitor_demo.items (a int, b int) with (autovacuum_enabled = false)`;
    await db.sql`insert into monitor_demo.items select g, g % 100 from generate_series(1, 20000) g`;
    await db.sql`create index items_a on monitor_demo.items (a)`;
    await db.sql`create index items_a_again on monitor_demo.items (a)`;
    await db.sql`create index items_b_unused on monitor_demo.items (b)`;
    // Bloat: delete 9 rows in 10 everywhere in the table (no tail to truncate), autovacuum off.
    await db.sql`delete from monitor_demo.items where a % 10 <> 0`;
    await db.sql`analyze monitor_demo.items`;
  });
  afterAll(async () => db?.drop());

  it('slow-queries: a deliberately slow statement comes first, in this database only', async () => {
    await db.sql`select pg_sleep(1.2)`;
    const report = await json(['slow-queries', '--limit', '5'], db);
    expect(report.statements[0].query).toMatch(/pg_sleep/);
    expect(report.statements[0].totalMs).toBeGreaterThanOrEqual(1200);
    expect(report.statements[0].database).toBe(db.name);
    expect(new Set(report.statements.map((s: { database: string }) => s.database))).toEqual(new Set([db.name]));
    expect(report.columns.total).toBe('total_exec_time');
    const byMean = await json(['slow-queries', '--sort', 'mean', '--limit', '1'], db);
    expect(byMean.statements[0].query).toMatch(/pg_sleep/);
    const human = await runCli(['monitor', 'slow-queries', '--limit', '3'], { url: db.url });
    expect(human.stdout).toMatch(/pg_sleep/);
    expect(human.stdout).toMatch(/1\.\d s/);
  });

  it('table-sizes: the large table comes first, with its tenant, and says the sizes are estimates', async () => {
    const report = await json(['table-sizes', '--limit', '3'], db);
    expect(report.rows[0]).toMatchObject({ schema: 'tenant_big', table: 'archive', tenant: 'big', rows: 20000 });
    expect(report.rows[0].tableBytes).toBeGreaterThan(4_000_000);
    expect(report.source).toBe('catalog');
    expect(report.matched).toBeGreaterThan(60);
    const human = await runCli(['monitor', 'table-sizes', '--limit', '3'], { url: db.url });
    expect(human.stdout).toMatch(/tenant_big .*archive/);
    expect(human.stdout).toMatch(/sizes estimated from pg_class/);
    const exact = await json(['table-sizes', '--tenant', 'big', '--exact', '--limit', '1'], db);
    const [{ size }] = await db.sql`select pg_total_relation_size('tenant_big.archive')::bigint as size`;
    expect(exact).toMatchObject({ source: 'exact', note: null });
    expect(exact.rows[0]).toMatchObject({ table: 'archive', totalBytes: Number(size) });
  });

  it('an unknown --schema is exit 2, as an unknown --tenant is, never "no tables"', async () => {
    for (const command of ['table-sizes', 'vacuum', 'sequences']) {
      const r = await runCli(['monitor', command, '--schema', 'nosuch,tenant_big'], { url: db.url });
      expect(r.code, `${command}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('error: --schema "nosuch": no such schema in this database.');
      expect(r.stdout).toBe('');
    }
    expect((await json(['table-sizes', '--schema', 'tenant_big', '--limit', '1'], db)).rows[0]).toMatchObject({ schema: 'tenant_big' });
  });

  it('tenant-sizes: one row per tenant, the grown tenant first; sortable by name', async () => {
    const report = await json(['tenant-sizes'], db);
    expect(report.rows.map((r: { tenant: string }) => r.tenant)).toEqual(['big', 'small']);
    expect(report.rows[0]).toMatchObject({ largestTable: 'archive', schema: 'tenant_big' });
    expect(report.rows[0].totalBytes).toBeGreaterThan(report.rows[1].totalBytes);
    expect(report.rows[0].rows).toBeGreaterThanOrEqual(20000);
    const byName = await json(['tenant-sizes', '--sort', 'name', '--limit', '1'], db);
    expect(byName.rows.map((r: { tenant: string }) => r.tenant)).toEqual(['big']);
    const csv = await runCli(['monitor', 'tenant-sizes', '--csv'], { url: db.url });
    expect(csv.stdout.split('\n')[0]).toBe('tenant,total,rows (est.),largest table,its size,tables,status');
    expect(csv.stdout.split('\n')[1]).toMatch(/^big,\d+,/);
    // --exact sizes the files, but the rows are still reltuples: an estimate all the same.
    const exact = await runCli(['monitor', 'tenant-sizes', '--exact', '--tenant', 'big', '--csv'], { url: db.url });
    expect(exact.stdout.split('\n')[0]).toBe('tenant,total,rows (est.),largest table,its size,tables,status');
  });

  it('indexes: reports the unused and the duplicate index, not the one a duplicate copies', async () => {
    const report = await json(['indexes', '--schema', 'monitor_demo'], db);
    const found = report.findings.map((f: { kind: string; index: string }) => `${f.kind}:${f.index}`);
    expect(found).toContain('duplicate:items_a_again');
    expect(found).toContain('unused:items_b_unused');
    expect(found).not.toContain('duplicate:items_a');
    expect(report.findings.find((f: { index: string }) => f.index === 'items_a_again').coveredBy).toBe('items_a');
    // The platform schema itself carries an index the unique constraint already provides.
    const tenant = await json(['indexes', '--tenant', 'small'], db);
    expect(tenant.findings.some((f: { kind: string }) => f.kind === 'duplicate' || f.kind === 'redundant')).toBe(true);
  });

  it('indexes: pairs partial and expression indexes only on the same predicate or expression, finds prefixes and failed builds', async () => {
    await db.sql`create schema index_cases`;
    await db.sql`create table index_cases.t (a int, b int, c text)`;
    await db.sql`insert into index_cases.t select g, g % 10, g::text from generate_series(1, 1000) g`;
    // Same predicate and expression written differently (spacing moves the parse locations).
    await db.sql`create index t_b_pos on index_cases.t (b) where b > 0`;
    await db.sql.unsafe('create index   t_b_pos_again on index_cases.t(b)   where    b > 0');
    await db.sql`create index t_b_neg on index_cases.t (b) where b < 0`;
    await db.sql`create index t_sum on index_cases.t ((a + b))`;
    await db.sql.unsafe('create index t_sum_again on index_cases.t ((a+b))');
    await db.sql`create index t_diff on index_cases.t ((a - b))`;
    // A leading prefix of a wider b-tree; a text column under another operator class is not.
    await db.sql`create index t_a on index_cases.t (a)`;
    await db.sql`create index t_a_c on index_cases.t (a, c)`;
    await db.sql`create index t_c on index_cases.t (c)`;
    await db.sql`create index t_c_pattern on index_cases.t (c text_pattern_ops, a)`;
    // CREATE UNIQUE INDEX CONCURRENTLY on duplicate values fails and leaves an invalid index.
    await expect(db.sql`create unique index concurrently t_b_unique on index_cases.t (b)`).rejects.toThrow(/could not create unique index/);
    const report = await json(['indexes', '--schema', 'index_cases', '--limit', '100'], db);
    const byIndex = new Map(report.findings.filter((f: { kind: string }) => f.kind !== 'unused').map((f: { index: string }) => [f.index, f]));
    expect(byIndex.get('t_b_pos_again')).toMatchObject({ kind: 'duplicate', coveredBy: 't_b_pos' });
    expect(byIndex.get('t_sum_again')).toMatchObject({ kind: 'duplicate', coveredBy: 't_sum' });
    expect(byIndex.get('t_a')).toMatchObject({ kind: 'redundant', coveredBy: 't_a_c' });
    expect(byIndex.get('t_b_unique')).toMatchObject({ kind: 'invalid', schema: 'index_cases', table: 't' });
    for (const name of ['t_b_pos', 't_b_neg', 't_sum', 't_diff', 't_a_c', 't_c', 't_c_pattern']) expect(byIndex.has(name), name).toBe(false);
    expect(report.counts).toMatchObject({ duplicate: 3, invalid: 1 });
    // The invalid index is not also counted as unused.
    expect(report.findings.some((f: { kind: string; index: string }) => f.kind === 'unused' && f.index === 't_b_unique')).toBe(false);
    // The invalid index would turn `check` below into a WARNING.
    await db.sql`drop schema index_cases cascade`;
  });

  it('bloat: a table with 90% of its rows deleted shows as bloated', async () => {
    const report = await json(['bloat', '--schema', 'monitor_demo', '--min-size', '0'], db);
    const table = report.rows.find((r: { kind: string; table: string }) => r.kind === 'table' && r.table === 'items');
    expect(table.bloatPct).toBeGreaterThan(50);
    expect(table.statsMissing).toBe(false);
  });

  it('bloat --min-size: a relation of exactly that size is shown, one byte more leaves it out', async () => {
    const [pages] = await db.sql<{ table: number; index: number; bs: number }[]>`
      select (select relpages from pg_class where oid = 'monitor_demo.items'::regclass) as table,
             (select relpages from pg_class where oid = 'monitor_demo.items_a'::regclass) as index,
             current_setting('block_size')::int as bs`;
    expect(pages!.table).toBeGreaterThan(1);
    const shown = async (min: number) => (await json(['bloat', '--schema', 'monitor_demo', '--min-size', String(min)], db)).rows.map((r: { kind: string; table: string; index: string | null }) => `${r.kind}:${r.index ?? r.table}`);
    expect(await shown(pages!.table * pages!.bs)).toContain('table:items');
    expect(await shown(pages!.table * pages!.bs + 1)).not.toContain('table:items');
    expect(await shown(pages!.index * pages!.bs)).toContain('index:items_a');
    expect(await shown(pages!.index * pages!.bs + 1)).not.toContain('index:items_a');
  });

  it('bloat: the same report while a migration holds an ACCESS EXCLUSIVE lock on the table (nothing waits on it)', async () => {
    const before = await json(['bloat', '--schema', 'monitor_demo', '--min-size', '0'], db);
    const holder = await db.sql.reserve();
    try {
      await holder`begin`;
      await holder`lock table monitor_demo.items in access exclusive mode`;
      const during = await json(['bloat', '--schema', 'monitor_demo', '--min-size', '0'], db);
      expect(during.rows).toEqual(before.rows);
      expect(during.rows.some((r: { kind: string }) => r.kind === 'index')).toBe(true);
    } finally {
      await holder`rollback`;
      holder.release();
    }
  });

  it('vacuum: dead tuples of the table and wraparound age of this database', async () => {
    const report = await eventually(async () => {
      const r = await json(['vacuum', '--schema', 'monitor_demo'], db);
      return r.tables[0]?.deadTuples > 0 ? r : undefined;
    }, 'dead tuples in pg_stat_user_tables');
    expect(report.tables[0]).toMatchObject({ schema: 'monitor_demo', table: 'items' });
    // 18,000 deleted rows; ANALYZE may have reported them too before the delete's own stats arrived.
    expect(report.tables[0].deadTuples).toBeGreaterThanOrEqual(18000);
    expect(report.databases.map((d: { database: string }) => d.database)).toContain(db.name);
  });

  it('every report prints JSON, CSV with a header, and Prometheus text that parses', async () => {
    const commands = [['slow-queries'], ['table-sizes'], ['tenant-sizes'], ['indexes'], ['bloat', '--min-size', '0'], ['connections'], ['cache'], ['activity'], ['vacuum'], ['sequences'], ['check']];
    for (const c of commands) {
      const j = await runCli(['monitor', ...c, '--json'], { url: db.url });
      expect(j.code, `${c.join(' ')}: ${j.stderr}`).toBe(0);
      expect(() => JSON.parse(j.stdout), c.join(' ')).not.toThrow();
      const csv = await runCli(['monitor', ...c, '--csv'], { url: db.url });
      expect(csv.code, c.join(' ')).toBe(0);
      expect(csv.stdout.split('\n')[0], c.join(' ')).toMatch(/^[^,\n]+(,[^,\n]+)+$/);
      const prom = await runCli(['monitor', ...c, '--prometheus'], { url: db.url });
      expect(prom.code, c.join(' ')).toBe(0);
      expectPrometheus(prom.stdout);
      const human = await runCli(['monitor', ...c], { url: db.url });
      expect(human.code, c.join(' ')).toBe(0);
      expect(human.stdout.length, c.join(' ')).toBeGreaterThan(0);
    }
  });

  it('connections: the share is of the slots ordinary roles may use, both reserves left out and named', async () => {
    // reserved_connections exists since 16 (the suite sets it on 16+ servers); before, only superusers have a reserve.
    const [s] = await db.sql`select current_setting('max_connections')::int as max, current_setting('superuser_reserved_connections')::int as su,
                                    coalesce(current_setting('reserved_connections', true)::int, 0) as roles`;
    const r = await json(['connections'], db);
    expect(r).toMatchObject({ maxConnections: s!.max, superuserReserved: s!.su, roleReserved: s!.roles, available: s!.max - s!.su - s!.roles });
    expect(r.usedPct).toBe(Math.min(100, Math.floor((10000 * r.used) / r.available) / 100));
    const check = await runCli(['monitor', 'check', '--only', 'connections', '--verbose'], { url: db.url });
    expect(check.stdout).toContain(`${s!.max - s!.su - s!.roles} of max_connections ${s!.max} open to them, ${s!.su} reserved for superusers${s!.roles > 0 ? `, ${s!.roles} for roles with pg_use_reserved_connections` : ''})`);
  });

  it('reset-stats needs --yes without a terminal, then forgets this database only', async () => {
    const refused = await runCli(['monitor', 'reset-stats'], { url: db.url });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    await db.sql`select pg_sleep(0.05)`;
    expect((await json(['slow-queries'], db)).statements.some((s: { query: string }) => /pg_sleep/.test(s.query))).toBe(true);
    const reset = await runCli(['monitor', 'reset-stats', '--yes', '--json'], { url: db.url });
    expect(reset.code, reset.stderr).toBe(0);
    expect(JSON.parse(reset.stdout)).toMatchObject({ reset: true, scope: 'database', database: db.name });
    expect((await json(['slow-queries'], db)).statements.some((s: { query: string }) => /pg_sleep/.test(s.query))).toBe(false);
  });
});

describe('slow-queries without the extension', () => {
  let bare: TestDatabase;
  beforeAll(async () => {
    bare = await createTestDatabase('mon');
  });
  afterAll(async () => bare?.drop());

  it('says exactly what to run in this database', async () => {
    const r = await runCli(['monitor', 'slow-queries'], { url: bare.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not created in database/);
    expect(r.stderr).toContain(`CREATE EXTENSION IF NOT EXISTS pg_stat_statements; in database "${bare.name}" (as a superuser: pg_stat_statements is not a trusted extension, so a database owner may not create it)`);
  });
});
