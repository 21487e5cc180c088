import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import type { Sql } from '../../src/db/connect.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { loadSqlFile } from '../profiles/load-profile-sql.js';
import { schemaChecksum } from '../tenants/helpers.js';

/**
 * `maintain` on the pooled profiles: each profile's own retention rules (issue 16 item 5),
 * applied to its one shared schema. Retention deletes only what the rules name; every other
 * table, and every row just inside its window, is kept.
 */

/** Row count and md5 of every row, per table of public: equal means unchanged. */
const checksums = (sql: Sql): Promise<Record<string, string>> => schemaChecksum(sql, 'public');

const without = (sums: Record<string, string>, tables: string[]) => Object.fromEntries(Object.entries(sums).filter(([t]) => !tables.includes(t)));

async function migrated(profile: string, name: string): Promise<TestDatabase> {
  const db = await createTestDatabase(name);
  const up = await runCli(['--profile', profile, 'migrate', 'up'], { url: db.url });
  expect(up.code, up.stderr).toBe(0);
  return db;
}

const ORG_A = '00000001-0000-4000-8000-00000000000a';
const ORG_B = '00000001-0000-4000-8000-00000000000b';

/**
 * Two IMSOP organizations, each with, per rule, one row past its window (by a week) and one
 * just inside it (by two days, so the time zone of a TIMESTAMP column cannot tip it over),
 * plus inventory as old as the oldest order. Ids end in `o` (old) or `k` (kept) per table.
 */
async function seedImsop(sql: Sql): Promise<void> {
  await sql.unsafe(`
    insert into organizations (id, name) values ('${ORG_A}', 'Alpha Freight'), ('${ORG_B}', 'Beta Supply');
    insert into suppliers (id, organization_id, name)
      select ('00000007-0000-4000-8000-00000000000' || o.k)::uuid, o.id, 'Supplier ' || o.k from (values ('${ORG_A}'::uuid, 'a'), ('${ORG_B}'::uuid, 'b')) o(id, k);
    insert into products (id, organization_id, sku, name)
      select ('00000008-0000-4000-8000-00000000000' || o.k)::uuid, o.id, 'SKU-' || o.k, 'Product ' || o.k from (values ('${ORG_A}'::uuid, 'a'), ('${ORG_B}'::uuid, 'b')) o(id, k);
    insert into warehouses (id, organization_id, name)
      select ('00000009-0000-4000-8000-00000000000' || o.k)::uuid, o.id, 'Warehouse ' || o.k from (values ('${ORG_A}'::uuid, 'a'), ('${ORG_B}'::uuid, 'b')) o(id, k);
    insert into inventory (warehouse_id, product_id, quantity_on_hand, created_at)
      select ('00000009-0000-4000-8000-00000000000' || k)::uuid, ('00000008-0000-4000-8000-00000000000' || k)::uuid, 10, now() - interval '5 years' from unnest(array['a', 'b']) k;
    insert into shipments (id, organization_id, shipment_type)
      select ('0000000e-0000-4000-8000-00000000000' || o.k)::uuid, o.id, 'inbound' from (values ('${ORG_A}'::uuid, 'a'), ('${ORG_B}'::uuid, 'b')) o(id, k);
    insert into purchase_orders (id, organization_id, supplier_id, po_number, order_date)
      select ('0000000c-0000-4000-8000-0000000000' || o.k || w.k)::uuid, o.id, ('00000007-0000-4000-8000-00000000000' || o.k)::uuid, 'PO-' || o.k || w.k, (now() - w.age)::date
      from (values ('${ORG_A}'::uuid, 'a'), ('${ORG_B}'::uuid, 'b')) o(id, k), (values ('0', interval '2 years 7 days'), ('f', interval '2 years' - interval '2 days')) w(k, age);
  `);
  // Two lines per order (the product is the order's organization's).
  await sql`insert into purchase_order_items (purchase_order_id, product_id, quantity_ordered)
    select po.id, p.id, n from purchase_orders po join products p on p.organization_id = po.organization_id, generate_series(1, 2) n`;
  await sql`insert into shipment_tracking (shipment_id, status, "timestamp")
    select s.id, w.k, now() - w.age from shipments s, (values ('old', interval '1 year 7 days'), ('keep', interval '1 year' - interval '2 days'), ('undated', null)) w(k, age)`;
  await sql`insert into analytics_events (organization_id, event_type, created_at)
    select o.id, w.k, now() - w.age from organizations o, (values ('old', interval '6 months 7 days'), ('keep', interval '6 months' - interval '2 days')) w(k, age)`;
  await sql`analyze`;
}

describe('maintain on imsop: the seed\'s retention rules', () => {
  let db: TestDatabase;
  let archive: string;
  const cli = (args: string[]) => runCli(['--profile', 'imsop', ...args], { url: db.url });
  const RULE_TABLES = ['purchase_order_items', 'purchase_orders', 'shipment_tracking', 'analytics_events'];
  beforeAll(async () => {
    db = await migrated('imsop', 'imsopmaint');
    await seedImsop(db.sql);
    archive = await mkdtemp(join(tmpdir(), 'tenantctl-pooled-archive-'));
  });
  afterAll(async () => {
    await db?.drop();
    if (archive) await rm(archive, { recursive: true, force: true });
  });

  it('--dry-run counts exactly the rows past each rule and changes nothing', async () => {
    const before = await checksums(db.sql);
    const r = await cli(['maintain', '--only', 'retention', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [task] = JSON.parse(r.stdout).tasks;
    const wouldDelete = Object.fromEntries(task.items.map((i: { table: string; wouldDelete: number }) => [i.table, i.wouldDelete]));
    // 2 organizations × (1 old order with 2 lines, 1 old tracking event, 1 old analytics event).
    expect(wouldDelete).toEqual({ purchase_order_items: 4, purchase_orders: 2, shipment_tracking: 2, analytics_events: 2 });
    expect(task.summary).toMatchObject({ rules: 4, tables: 4, absentTables: 0 });
    expect(await checksums(db.sql)).toEqual(before);
  });

  it('archives then deletes only what the rules name: lines before their orders, rows inside the window kept, other tables untouched', async () => {
    const before = await checksums(db.sql);
    const r = await cli(['maintain', '--only', 'retention', '--archive-dir', archive, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [task] = JSON.parse(r.stdout).tasks;
    expect(task.summary.deleted).toBe(10);
    // Every table no rule names is byte for byte as before (inventory included: "never").
    expect(without(await checksums(db.sql), RULE_TABLES)).toEqual(without(before, RULE_TABLES));
    const kept = await db.sql`
      select 'po' as t, po_number as k from purchase_orders
      union all select 'line', po.po_number from purchase_order_items i join purchase_orders po on po.id = i.purchase_order_id
      union all select 'track', coalesce(status, '?') from shipment_tracking
      union all select 'event', event_type from analytics_events
      order by 1, 2`;
    expect(kept.map((x) => `${x.t}:${x.k}`)).toEqual([
      'event:keep', 'event:keep',
      'line:PO-af', 'line:PO-af', 'line:PO-bf', 'line:PO-bf',
      'po:PO-af', 'po:PO-bf',
      'track:keep', 'track:keep', 'track:undated', 'track:undated',
    ]);
    // The lines were archived in their own file (not lost to the order's cascade), header first.
    const files = await readdir(join(archive, 'public'));
    expect(files.map((f) => f.replace(/-\d{8}T\d{6}Z\.csv$/, '')).sort()).toEqual(RULE_TABLES.slice().sort());
    const lines = (await readFile(join(archive, 'public', files.find((f) => f.startsWith('purchase_order_items'))!), 'utf8')).trim().split('\n');
    expect(lines[0]).toMatch(/^id,purchase_order_id,product_id,quantity_ordered/);
    expect(lines).toHaveLength(1 + 4);
    const orders = (await readFile(join(archive, 'public', files.find((f) => f.startsWith('purchase_orders'))!), 'utf8')).trim().split('\n');
    expect(orders.slice(1).map((l) => l.split(',')[3]).sort()).toEqual(['PO-a0', 'PO-b0']);
  });

  it('a second run finds nothing left to delete', async () => {
    const r = await cli(['maintain', '--only', 'retention', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).tasks[0].summary.deleted).toBe(0);
  });
});

describe('maintain on abparts: transactions are never deleted', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await migrated('abparts', 'abpartsmaint');
    await loadSqlFile(db.sql, `${PACKAGE_ROOT}test/profiles/data/abparts-crossing.sql`);
    // The dataset's sessions have all expired by now: one still live, and one expiring in a minute.
    await db.sql`insert into user_sessions (user_id, session_token, expires_at)
      select id, 'live-' || n, now() + (n || ' minutes')::interval from (select id from users order by id limit 1) u, generate_series(1, 2) n`;
  });
  afterAll(async () => db?.drop());

  it('deletes only expired sessions; transactions and every other table stay as they were', async () => {
    const before = await checksums(db.sql);
    const live = await db.sql`select id from user_sessions where expires_at >= now() order by id`;
    const [{ expired }] = await db.sql`select count(*)::int as expired from user_sessions where expires_at < now()`;
    expect(expired).toBeGreaterThan(0);
    expect(live.length).toBeGreaterThan(0);
    const r = await runCli(['--profile', 'abparts', 'maintain', '--only', 'retention', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    const [task] = JSON.parse(r.stdout).tasks;
    expect(task.summary).toMatchObject({ rules: 1, deleted: expired });
    expect(task.items.map((i: { table: string }) => i.table)).toEqual(['user_sessions']);
    expect(await db.sql`select id from user_sessions order by id`).toEqual(live);
    expect(without(await checksums(db.sql), ['user_sessions'])).toEqual(without(before, ['user_sessions']));
  });
});

describe('maintain on prometric: audit_logs partitions ahead, daily_sales_summary refreshed, no retention', () => {
  let db: TestDatabase;
  const cli = (args: string[]) => runCli(['--profile', 'prometric', ...args], { url: db.url });
  beforeAll(async () => {
    db = await migrated('prometric', 'prometricmaint');
  });
  afterAll(async () => db?.drop());

  it('recreates the missing monthly audit_logs partitions through three months ahead, refreshes the view, deletes nothing', async () => {
    // The migration made partitions through three months ahead; a few months later the last
    // two are missing (dropped here): rows dated then have nowhere to go.
    const ahead = sql3MonthsAhead;
    const missing = await db.sql`select to_char(date_trunc('month', now() at time zone 'UTC') + m * interval '1 month', '"audit_logs_p"YYYY_MM') as name from generate_series(2, 3) m`;
    for (const { name } of missing) await db.sql`drop table ${db.sql(name as string)}`;
    await expect(db.sql.unsafe(ahead)).rejects.toThrow(/no partition/);
    const before = await checksums(db.sql);
    const r = await cli(['maintain', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const tasks = Object.fromEntries(JSON.parse(r.stdout).tasks.map((t: { task: string }) => [t.task, t]));
    expect(tasks.retention.summary).toMatchObject({ rules: 0, deleted: 0 });
    const audit = tasks.partitions.items.find((i: { table: string }) => i.table === 'public.audit_logs');
    expect(audit.created).toEqual(missing.map((m) => m.name));
    expect(tasks.matviews.items).toContainEqual(expect.objectContaining({ view: 'public.daily_sales_summary', refreshed: 'concurrently' }));
    // No rows changed anywhere (the new partitions are empty, the refreshed view is the same).
    expect(await checksums(db.sql)).toEqual({ ...before, ...Object.fromEntries(missing.map((m) => [m.name, '0:'])) });
    // Rows dated now and three months ahead have a partition to go to again.
    await db.sql.unsafe(ahead);
    await db.sql.unsafe(sqlNow);
    const again = JSON.parse((await cli(['maintain', '--only', 'partitions', '--json'])).stdout).tasks[0];
    expect(again.items.find((i: { table: string }) => i.table === 'public.audit_logs')?.created ?? []).toEqual([]);
  });
});

const auditRow = (at: string) => `insert into audit_logs (entity_type, entity_id, action, "timestamp") values ('order', gen_random_uuid(), 'UPDATE', ${at})`;
const sql3MonthsAhead = auditRow(`date_trunc('month', now() at time zone 'UTC') + interval '3 months' + interval '1 day'`);
const sqlNow = auditRow(`now() at time zone 'UTC'`);
