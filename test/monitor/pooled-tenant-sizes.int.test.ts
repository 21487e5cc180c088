import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { loadSqlFile } from '../profiles/load-profile-sql.js';

interface Row { tenant: string; rows: number; totalBytes: number; largestTable: string | null }

/**
 * `monitor tenant-sizes` on a pooled profile (issue 16 item 2): per-tenant rows and bytes
 * estimated from pg_stats on the tenant columns, the basis said; exact counts with --exact.
 * IMSOP with skewed tenants: one big, one mid-sized, ten small; analytics_events keeps only
 * two most-common values (statistics target 2) so the small tenants come from the
 * "rest spread evenly" branch, and shipment_tracking (indirect) follows its shipments.
 */
const SMALL = Array.from({ length: 10 }, (_, i) => `Small ${String(i + 1).padStart(2, '0')}`);
const EVENTS: Record<string, number> = { Big: 3000, Mid: 300, ...Object.fromEntries(SMALL.map((s) => [s, 20])) };
const SHIPMENTS: Record<string, number> = { Big: 100, Mid: 10, ...Object.fromEntries(SMALL.map((s) => [s, 1])) };
/** What each tenant owns in the tables filled here: events + shipments + 5 tracking rows per shipment + one warehouse. */
const EXACT = Object.fromEntries(Object.keys(EVENTS).map((t) => [t, EVENTS[t]! + SHIPMENTS[t]! * 6 + 1]));

describe('monitor tenant-sizes on imsop (pooled)', () => {
  let db: TestDatabase;
  const cli = (args: string[]) => runCli(['--profile', 'imsop', 'monitor', 'tenant-sizes', ...args], { url: db.url });
  beforeAll(async () => {
    db = await createTestDatabase('imsopsizes');
    const up = await runCli(['--profile', 'imsop', 'migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    const orgs = Object.keys(EVENTS);
    await db.sql`insert into organizations (name) select unnest(${orgs}::text[])`;
    await db.sql`insert into analytics_events (organization_id, event_type)
      select o.id, 'view' from organizations o join (select unnest(${orgs}::text[]) as name, unnest(${orgs.map((o) => EVENTS[o]!)}::int[]) as n) c on c.name = o.name, generate_series(1, c.n)`;
    await db.sql`insert into shipments (organization_id, shipment_type)
      select o.id, 'outbound' from organizations o join (select unnest(${orgs}::text[]) as name, unnest(${orgs.map((o) => SHIPMENTS[o]!)}::int[]) as n) c on c.name = o.name, generate_series(1, c.n)`;
    await db.sql`insert into shipment_tracking (shipment_id, status) select s.id, 'moving' from shipments s, generate_series(1, 5)`;
    // One warehouse each: every value distinct (n_distinct = -1, no most-common list).
    await db.sql`insert into warehouses (organization_id, name) select id, 'Main' from organizations`;
    await db.sql`alter table analytics_events alter column organization_id set statistics 2`;
    await db.sql`analyze`;
  });
  afterAll(async () => db?.drop());

  it('estimates every tenant\'s rows from statistics within the stated tolerance, and says the basis', async () => {
    const r = await cli(['--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ source: 'statistics', profile: 'imsop', tenants: 12 });
    expect(report.note).toMatch(/pg_stats.*most common values × reltuples/);
    const byTenant = new Map<string, Row>(report.rows.map((x: Row) => [x.tenant, x]));
    expect([...byTenant.keys()].sort()).toEqual(Object.keys(EXACT).sort());
    // Big and Mid are most-common values: within 5%. The small ones share what is left: within 50% (POOLED.md §6).
    for (const [tenant, exact] of Object.entries(EXACT)) {
      const tolerance = tenant === 'Big' || tenant === 'Mid' ? 0.05 : 0.5;
      expect(Math.abs(byTenant.get(tenant)!.rows - exact), tenant).toBeLessThanOrEqual(exact * tolerance);
    }
    expect(report.rows[0].tenant).toBe('Big');
    // The one-row-per-tenant table counts for every tenant, and analyzed empty tables are not "never analyzed".
    for (const row of byTenant.values()) expect(row.tables, row.tenant).toBe(4);
    expect(report.note).not.toMatch(/never analyzed/);
    expect(byTenant.get('Big')!.largestTable).toBe('analytics_events');
    expect(byTenant.get('Big')!.totalBytes).toBeGreaterThan(byTenant.get('Mid')!.totalBytes);
    const human = await cli([]);
    expect(human.stdout).toMatch(/profile imsop \(pooled\)/);
  });

  it('a table with fewer owners than tenants is shared out, never counted whole for each tenant that may own it', async () => {
    const bytesOf = async () => new Map<string, number>(JSON.parse((await cli(['--json'])).stdout).rows.map((x: Row) => [x.tenant, x.totalBytes]));
    const before = await bytesOf();
    // One supplier, Big's: one value, no most-common list; the statistics cannot say whose.
    await db.sql`insert into suppliers (organization_id, name) select id, 'Only supplier' from organizations where name = 'Big'`;
    await db.sql`analyze suppliers`;
    const after = await bytesOf();
    const added = [...after].reduce((n, [t, bytes]) => n + bytes - before.get(t)!, 0);
    const [{ size }] = await db.sql`select pg_total_relation_size('suppliers')::float8 as size`;
    // The table is spread over the twelve organizations once (before: the whole table for each, twelve times over).
    expect(added).toBeGreaterThan(size * 0.5);
    expect(added).toBeLessThanOrEqual(size * 1.05);
    await db.sql`delete from suppliers`;
    await db.sql`analyze suppliers`;
  });

  it('gives the same estimate while a migration holds an ACCESS EXCLUSIVE lock on a table (no table is opened)', async () => {
    const before = JSON.parse((await cli(['--json'])).stdout);
    const holder = await db.sql.reserve();
    try {
      await holder`begin`;
      await holder`lock table analytics_events in access exclusive mode`;
      const during = await cli(['--json']);
      expect(during.code, during.stderr).toBe(0);
      expect(JSON.parse(during.stdout).rows).toEqual(before.rows);
    } finally {
      await holder`rollback`;
      holder.release();
    }
  });

  it('--exact --tenant counts the tenant\'s rows exactly; --exact alone is refused with what to do', async () => {
    const r = await cli(['--exact', '--tenant', 'Mid', '--tenant', 'Small 03', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.source).toBe('exact');
    // Every row the tenant owns, its own organizations row included.
    expect(Object.fromEntries(report.rows.map((x: Row) => [x.tenant, x.rows]))).toEqual({ Mid: EXACT.Mid! + 1, 'Small 03': EXACT['Small 03']! + 1 });
    expect(report.rowsExact).toBe(true);
    // Counted, so not labelled an estimate; the estimates are.
    const human = await cli(['--exact', '--tenant', 'Mid']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/│ rows\s+│/);
    expect(human.stdout).not.toContain('rows (est.)');
    expect((await cli(['--exact', '--tenant', 'Mid', '--csv'])).stdout.split('\n')[0]).toBe('tenant,total,rows,largest table,its size,tables,status');
    expect((await cli(['--csv'])).stdout.split('\n')[0]).toBe('tenant,total,rows (est.),largest table,its size,tables,status');
    const refused = await cli(['--exact']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--tenant/);
    const unknown = await cli(['--tenant', 'Nobody Ltd']);
    expect(unknown.code).toBe(2);
    // The one unknown-tenant error of every command (resolveTenants), naming it.
    expect(unknown.stderr).toMatch(/Unknown tenant: Nobody Ltd/);
  });
});

describe('monitor tenant-sizes on abparts (pooled)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('abpartssizes');
    const up = await runCli(['--profile', 'abparts', 'migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    await loadSqlFile(db.sql, `${PACKAGE_ROOT}test/profiles/data/abparts-crossing.sql`);
    await db.sql`analyze`;
  });
  afterAll(async () => db?.drop());

  it('lists the same tenants as tenant list: the platform singletons are not tenants', async () => {
    const sizes = await runCli(['--profile', 'abparts', 'monitor', 'tenant-sizes', '--sort', 'name', '--json'], { url: db.url });
    expect(sizes.code, sizes.stderr).toBe(0);
    const list = await runCli(['--profile', 'abparts', 'tenant', 'list', '--json'], { url: db.url });
    expect(list.code, list.stderr).toBe(0);
    const listed = JSON.parse(list.stdout);
    const handles = (Array.isArray(listed) ? listed : listed.tenants).map((t: { slug: string }) => t.slug).sort();
    const [{ n }] = await db.sql`select count(*)::int as n from organizations`;
    expect(handles.length).toBeLessThan(n);
    expect(JSON.parse(sizes.stdout).rows.map((x: Row) => x.tenant).sort()).toEqual(handles);
  });
});
