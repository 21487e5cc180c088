import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sql } from '../../src/db/connect.js';
import type { Manifest } from '../../src/backup/manifest.js';
import { classify, tenantRowSets, withRowSecurityOff, type Classification } from '../../src/pooled/index.js';
import { BUILTIN_PROFILES } from '../../src/tenancy/profiles/index.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';
import { loadSqlFile } from '../profiles/load-profile-sql.js';
import { orphanScratch } from './helpers.js';

/**
 * `restore-tenant --as` when the organization's rows cross into other organizations, per
 * profile, on the crossing datasets plus a few more crossings planted here so that every
 * kind of link the seed allows is there: a NOT NULL link (left out), a row depending on a
 * left-out row (left out with it, transitively), a co-owned link (a transfer into another
 * customer's warehouse, an order with the distributor: left out) and an optional link the
 * erasure would clear (an actor, a manager: cleared, the row copied). The organization is
 * erased after the backup so that its natural keys are free for the copy. Checked: other
 * organizations' rows (and ABParts' stock derived from transactions) are unchanged byte for
 * byte, every added row is the copy's, no row of the copy points at another organization,
 * the left-out and cleared rows are reported with their keys, and the copy has every other row.
 */
const DATA = join(import.meta.dirname, '..', 'profiles', 'data');

/** IMSOP ids: TTTTTTTT-0000-4000-8000-0000000000ON (see imsop-crossing.sql). */
const im = (table: string, on: string) => `${table}-0000-4000-8000-0000000000${on}`;
/** ABParts ids: TTOO0000-0000-4000-8000-0000000000NN. */
const ab = (tt: string, oo: string, nn: string) => `${tt}${oo}0000-0000-4000-8000-0000000000${nn}`;
/** Prometric ids: <o><tt>00000-0000-4000-8000-0000000000<nn>. */
const pm = (o: string, tt: string, nn: string) => `${o}${tt}00000-0000-4000-8000-0000000000${nn}`;

interface Case {
  profile: string;
  dataset: string;
  org: string;
  as: string;
  erase: string[];
  /** More crossings of the organization, planted before the backup. */
  plant: string;
  /** The rows the copy must leave out (backup keys per table), and the links it must clear (table → rows). */
  leftOut: Record<string, string[]>;
  unlinked: Record<string, string[]>;
  /** Lines the terminal output must hold: a row of another organization's, a dependent, a cleared link. */
  terminal: string[];
  /**
   * Columns holding ids without a foreign key (whole or arrays; `where`: only such rows): in
   * the copy every id names one of the copy's rows of `of`, and `inside` of them do.
   */
  ids: { table: string; column: string; where?: string; of: string[]; inside: number }[];
}

const CASES: Case[] = [
  {
    // Cobalt (C) crosses into Acme (A) and Borealis (B).
    profile: 'imsop', dataset: 'imsop-crossing.sql', org: im('00000001', 'c0'), as: 'Cobalt Medical Supply (copy)', erase: [],
    plant: `
      -- a purchase order from A's supplier (NOT NULL), with a line of C's own product (depends on it)
      insert into purchase_orders (id, organization_id, supplier_id, po_number, status, order_date, total_amount, currency, created_by, created_at, updated_at)
        values ('${im('0000000c', 'c8')}', '${im('00000001', 'c0')}', '${im('00000007', 'a1')}', 'PO-COB-0008', 'draft', '2026-11-20', 39.00, 'PLN', '${im('00000002', 'c1')}', '2026-11-20 10:00:00', '2026-11-20 10:00:00');
      insert into purchase_order_items (id, purchase_order_id, product_id, quantity_ordered, quantity_received, unit_price, line_total)
        values ('${im('0000000d', 'c8')}', '${im('0000000c', 'c8')}', '${im('00000008', 'c1')}', 10, 0, 3.9000, 39.00);
      -- a movement on C's stock of A's carton boxes (inventory c9, itself left out)
      insert into inventory_transactions (id, inventory_id, transaction_type, quantity, notes, created_by, created_at)
        values ('${im('0000000b', 'c8')}', '${im('0000000a', 'c9')}', 'receipt', 300, NULL, '${im('00000002', 'c2')}', '2025-07-01 09:00:00');
      -- optional links into other organizations: a manager, actors, an origin warehouse
      update warehouses set manager_id = '${im('00000002', 'a1')}' where id = '${im('00000009', 'c1')}';
      update purchase_orders set created_by = '${im('00000002', 'b1')}' where id = '${im('0000000c', 'c1')}';
      update inventory_transactions set created_by = '${im('00000002', 'a2')}' where id = '${im('0000000b', 'c1')}';
      update analytics_events set user_id = '${im('00000002', 'b2')}' where id = '${im('00000010', 'c2')}';
      insert into shipments (id, organization_id, reference_id, shipment_type, status, origin_warehouse_id, destination_warehouse_id, carrier, tracking_number, created_at, updated_at)
        values ('${im('0000000e', 'c8')}', '${im('00000001', 'c0')}', 'TR-COB-0008', 'transfer', 'delivered', '${im('00000009', 'b1')}', '${im('00000009', 'c1')}', 'DHL', 'DHL-COB-8', '2026-11-01 08:00:00', '2026-11-01 08:00:00');
      insert into shipment_tracking (id, shipment_id, location, status, "timestamp")
        values ('${im('0000000f', 'c8')}', '${im('0000000e', 'c8')}', 'Poznan', 'delivered', '2026-11-02 08:00:00');`,
    leftOut: {
      user_roles: [im('00000006', 'c9')],
      purchase_orders: [im('0000000c', 'c8')],
      inventory: [im('0000000a', 'c9')],
      inventory_transactions: [im('0000000b', 'c8')],
      purchase_order_items: [im('0000000d', 'c8'), im('0000000d', 'c9')],
    },
    unlinked: {
      warehouses: [im('00000009', 'c1')],
      purchase_orders: [im('0000000c', 'c1')],
      inventory_transactions: [im('0000000b', 'c1')],
      shipments: [im('0000000e', 'c8'), im('0000000e', 'c9')],
      // c2's actor is B's user; c9 is about A's user (entity_id, no foreign key)
      analytics_events: [im('00000010', 'c2'), im('00000010', 'c9')],
    },
    terminal: [
      `user_roles ${im('00000006', 'c9')}: role_id → roles row ${im('00000003', 'a2')} of Acme Logistics (${im('00000001', 'a0')})`,
      `purchase_order_items ${im('0000000d', 'c8')}: purchase_order_id → purchase_orders row ${im('0000000c', 'c8')}, itself left out`,
      `shipments ${im('0000000e', 'c9')}: destination_warehouse_id → warehouses row ${im('00000009', 'a2')} of Acme Logistics`,
      `analytics_events ${im('00000010', 'c9')}: entity_id → users row ${im('00000002', 'a2')} of Acme Logistics`,
    ],
    // c1 is about Cobalt's own user: the copy's event is about the copy's user
    ids: [{ table: 'analytics_events', column: 'entity_id', where: "entity_type = 'user'", of: ['users'], inside: 1 }],
  },
  {
    // Nordic Net Cleaning (B) crosses into Kaspian Fish Farms (A) and Oraseas in every way the seed has.
    profile: 'abparts', dataset: 'abparts-crossing.sql', org: ab('01', 'bb', '01'), as: 'Nordic Net Cleaning (copy)', erase: ['--shared-rows', 'tombstone'],
    plant: '',
    // Its order with the distributor, and its people invited by the distributor's super admin, are
    // copied as they are: the platform singletons are no tenant (like the global parts catalogue).
    leftOut: {
      part_usage: [ab('12', 'bb', '02')],
      user_management_audit_logs: [ab('16', 'bb', '02')],
      transactions: [ab('07', 'bb', '01'), ab('07', 'bb', '02')],
      stock_adjustments: [ab('17', 'bb', '01')],
      transaction_approvals: [ab('18', 'bb', '01'), ab('18', 'bb', '02')],
    },
    unlinked: {
      users: [ab('02', 'bb', '02')],
      invitation_audit_logs: [ab('15', 'bb', '02')],
    },
    terminal: [
      `transactions ${ab('07', 'bb', '01')}: to_warehouse_id → warehouses row ${ab('03', 'aa', '02')} of Kaspian Fish Farms`,
      `transaction_approvals ${ab('18', 'bb', '02')}: transaction_id → transactions row ${ab('07', 'bb', '02')}, itself left out`,
      `users ${ab('02', 'bb', '02')}: invited_by_user_id → users row ${ab('02', 'aa', '01')} of Kaspian Fish Farms`,
    ],
    ids: [],
  },
  {
    // Steppe Packaging (B) crosses into Qazaq Metall (A).
    profile: 'prometric', dataset: 'prometric-crossing.sql', org: 'b0000000-0000-4000-8000-000000000000', as: '190540011111', erase: [],
    plant: `
      -- a BOM component that is A's product (NOT NULL)
      insert into bom_components (id, bom_id, component_id) values ('${pm('b', '17', '09')}', '${pm('b', '16', '01')}', '${pm('a', '05', '01')}');
      -- B's product filed in A's workspace (NOT NULL), and B's order line for it (depends on it)
      insert into products (id, organization_id, workspace_id, code, name) values ('${pm('b', '05', '09')}', 'b0000000-0000-4000-8000-000000000000', '${pm('a', '01', '01')}', 'BOX-CROSS', 'Box filed in another workspace');
      insert into order_items (id, order_id, product_id, product_code, product_name) values ('${pm('b', '15', '09')}', '${pm('b', '14', '01')}', '${pm('b', '05', '09')}', 'BOX-CROSS', 'Box filed in another workspace');
      -- an optional link: a task assigned to A's employee
      update tasks set assigned_to = '${pm('a', '03', '01')}' where id = '${pm('b', '22', '02')}';`,
    leftOut: {
      products: [pm('b', '05', '09')],
      order_items: [pm('b', '15', '03'), pm('b', '15', '09')],
      bom_components: [pm('b', '17', '09')],
      // B's audit trail of Nurlan, whom only A employs: he is A's person, not the copy's.
      audit_logs: ['b2400000-0000-4000-8000-000000000002,2025-02-03 09:15:00', 'b2400000-0000-4000-8000-000000000003,2025-02-03 09:00:00'],
      system_logs: ['3'],
    },
    unlinked: {
      deals: [pm('b', '09', '01')],
      orders: [pm('b', '14', '02')],
      // 01's related_entity_id is A's customer; 02 is assigned to A's employee
      tasks: [pm('b', '22', '01'), pm('b', '22', '02')],
      // Nurlan, employed only by A, created B's Main workspace.
      workspaces: [pm('b', '01', '01')],
      // A's employees taken out of the lists of people
      deal_activities: [pm('b', '11', '01')],
      production_orders: [pm('b', '18', '01')],
    },
    terminal: [
      `order_items ${pm('b', '15', '03')}: product_id → products row ${pm('a', '05', '01')} of 210140012345`,
      `order_items ${pm('b', '15', '09')}: product_id → products row ${pm('b', '05', '09')}, itself left out`,
      `orders ${pm('b', '14', '02')}: customer_id → customers row ${pm('a', '06', '01')} of 210140012345`,
      `workspaces ${pm('b', '01', '01')}: created_by → users row e0000000-0000-4000-8000-000000000002 of 210140012345`,
      `tasks ${pm('b', '22', '01')}: related_entity_id → customers row ${pm('a', '06', '01')} of 210140012345`,
    ],
    ids: [
      // 02 is about B's own deal: the copy's task is about the copy's deal
      { table: 'tasks', column: 'related_entity_id', of: ['customers', 'deals', 'orders'], inside: 1 },
      { table: 'deal_activities', column: 'participants', of: ['employees'], inside: 1 },
      { table: 'production_orders', column: 'assigned_team', of: ['employees'], inside: 1 },
    ],
  },
];

const declOf = (profile: string) => BUILTIN_PROFILES.find((p) => p.name === profile)!.pooled!;

/** Every row of every table of the pooled schema, as text, per table (sorted: a multiset). */
async function dumpAll(sql: Sql, cls: Classification): Promise<Record<string, string[]>> {
  return withRowSecurityOff(sql, async (tx) => {
    const out: Record<string, string[]> = {};
    for (const t of cls.catalog.tables) {
      out[t.name] = ((await tx`select x::text as r from ${tx(cls.schema)}.${tx(t.name)} x order by 1`) as unknown as { r: string }[]).map((r) => r.r);
    }
    return out;
  });
}

/** The organization's rows per table as text (the pooled engine's row sets). */
async function orgRowTexts(sql: Sql, profile: string, cls: Classification, id: string): Promise<Record<string, string[]>> {
  return withRowSecurityOff(sql, async (tx) => {
    const out: Record<string, string[]> = {};
    for (const set of tenantRowSets(tx, declOf(profile), cls, id)) {
      out[set.table] = ((await tx`select x::text as r from (${set.select}) x order by 1`) as unknown as { r: string }[]).map((r) => r.r);
    }
    return out;
  });
}

/** Rows of `after` that are not in `before` (multiset difference), and rows of `before` gone from `after`. */
function diff(before: string[], after: string[]): { added: string[]; removed: string[] } {
  const left = new Map<string, number>();
  for (const r of before) left.set(r, (left.get(r) ?? 0) + 1);
  const added: string[] = [];
  for (const r of after) {
    const n = left.get(r) ?? 0;
    if (n > 0) left.set(r, n - 1);
    else added.push(r);
  }
  return { added, removed: [...left.entries()].flatMap(([r, n]) => Array<string>(n).fill(r)) };
}

/**
 * Links of the copy's rows into rows that are not the copy's: per foreign key (and declared
 * virtual reference) into a table of organization rows, the copy's rows whose link values
 * are not among the copy's rows of the parent table. Global and shared-identity tables are
 * everybody's, and so are the platform singletons' rows (ABParts' distributor and
 * manufacturer: no tenant). Written independently of the code under test.
 */
async function linksOut(sql: Sql, profile: string, cls: Classification, copy: string): Promise<string[]> {
  const decl = declOf(profile);
  const shared = new Set(cls.tables.filter((t) => t.class === 'global' || t.class === 'shared-identity').map((t) => t.table));
  const links = [
    ...cls.catalog.foreignKeys.map((f) => ({ table: f.table, columns: f.columns, parent: f.parent, parentColumns: f.parentColumns, name: f.name })),
    ...(decl.virtualReferences ?? []).map((v) => ({ table: v.table, columns: v.columns, parent: v.references.table, parentColumns: v.references.columns, name: v.enforcedBy })),
  ].filter((l) => !shared.has(l.parent));
  return withRowSecurityOff(sql, async (tx) => {
    const sets = new Map(tenantRowSets(tx, decl, cls, copy).map((s) => [s.table, s.select]));
    const platform = decl.registry.nonErasable;
    const platformIds = platform ? ((await tx`select ${tx(decl.registry.key)}::text as id from ${tx(cls.schema)}.${tx(decl.registry.table)} where ${tx(platform.column)}::text = any(${platform.values}::text[])`) as unknown as { id: string }[]).map((r) => r.id) : [];
    const platformSets = platformIds.map((id) => new Map(tenantRowSets(tx, decl, cls, id).map((s) => [s.table, s.select])));
    const found: string[] = [];
    for (const l of links) {
      const child = sets.get(l.table);
      if (!child) continue;
      const own = sets.get(l.parent) ?? tx`select * from ${tx(cls.schema)}.${tx(l.parent)} where false`;
      const parent = platformSets.reduce((acc, p) => (p.has(l.parent) ? tx`${acc} union all ${p.get(l.parent)!}` : acc), tx`${own}`);
      const set = l.columns.map((c, i) => (i === 0 ? tx`c.${tx(c)} is not null` : tx` and c.${tx(c)} is not null`));
      const match = l.columns.map((c, i) => (i === 0 ? tx`p.${tx(l.parentColumns[i]!)} = c.${tx(c)}` : tx` and p.${tx(l.parentColumns[i]!)} = c.${tx(c)}`));
      const [row] = (await tx`select count(*)::int as n from (${child}) c where ${set} and not exists (select 1 from (${parent}) p where ${match})`) as unknown as [{ n: number }];
      if (row.n) found.push(`${l.table}.${l.columns.join('+')} → ${l.parent} (${l.name}): ${row.n}`);
    }
    return found;
  });
}

/** The ids a column of the copy's rows holds (each element of an array): how many name the copy's rows of `of`, and those that do not. */
async function idsOf(sql: Sql, profile: string, cls: Classification, copy: string, id: Case['ids'][number]): Promise<{ inside: number; outside: string[] }> {
  return withRowSecurityOff(sql, async (tx) => {
    const sets = new Map(tenantRowSets(tx, declOf(profile), cls, copy).map((s) => [s.table, s.select]));
    const rows = (await tx`select x.${tx(id.column)}::text as v from (${sets.get(id.table)!}) x where ${tx.unsafe(id.where ?? 'true')}`) as unknown as { v: string | null }[];
    const values = rows.flatMap((r) => (r.v === null ? [] : r.v.startsWith('{') ? r.v.slice(1, -1).split(',').filter(Boolean) : [r.v]));
    const copyKeys = new Set<string>();
    for (const of of id.of) for (const r of (await tx`select x.id::text as k from (${sets.get(of)!}) x`) as unknown as { k: string }[]) copyKeys.add(r.k);
    return { inside: values.filter((v) => copyKeys.has(v)).length, outside: values.filter((v) => !copyKeys.has(v)) };
  });
}

/** ABParts: each warehouse's stock as the transactions derive it (in minus out, per part). */
async function derivedStock(sql: Sql): Promise<string[]> {
  const rows = await sql`select w, part_id::text as part, sum(q)::text as stock from (
      select to_warehouse_id as w, part_id, quantity as q from transactions where to_warehouse_id is not null
      union all select from_warehouse_id, part_id, -quantity from transactions where from_warehouse_id is not null) m
    group by 1, 2 order by 1, 2`;
  return rows.map((r) => `${r.w}:${r.part}=${r.stock}`);
}

const client = await backupClientStatus();

describe.skipIf(!client.ok).each(CASES)(client.ok ? '$profile: restore-tenant --as leaves out what crosses into other organizations' : `$profile: --as and other organizations (${client.reason})`, (c) => {
  let db: TestDatabase;
  let work: string;
  let backup: string;
  let handle: string;
  let cls: Classification;
  /** The organization's rows in the backup. */
  let original: Record<string, string[]>;
  const cli = (args: string[]) => runCli(args, { url: db.url });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), `tenantctl-as-cross-${c.profile}-`));
    db = await createTestDatabase(`pa${c.profile.slice(0, 4)}`);
    const up = await cli(['--profile', c.profile, 'migrate', 'up']);
    if (up.code !== 0) throw new Error(up.stderr);
    await loadSqlFile(db.sql, join(DATA, c.dataset));
    if (c.plant) await db.sql.unsafe(c.plant);
    cls = await withRowSecurityOff(db.sql, async (tx) => classify(tx as unknown as Sql, declOf(c.profile)));
    original = await orgRowTexts(db.sql, c.profile, cls, c.org);
    backup = join(work, 'b1');
    const created = await cli(['backup', 'create', '--out', backup, '--json']);
    if (created.code !== 0) throw new Error(created.stderr);
    const manifest = JSON.parse(await readFile(join(backup, 'manifest.json'), 'utf8')) as Manifest;
    handle = manifest.pooled!.tenants.find((t) => t.id === c.org)!.handle;
    // The copy's natural keys (usernames, document numbers) must be free: the original goes first.
    const erased = await cli(['tenant', 'erase', c.org, '--yes', '--confirm', c.org, '--reason', 'as cross-org test', ...c.erase, '--json']);
    if (erased.code !== 0) throw new Error(erased.stderr + erased.stdout);
  });
  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('copies the organization without adding to or changing any other organization, and reports every row it left out and every link it cleared', async () => {
    const before = await dumpAll(db.sql, cls);
    const reg = declOf(c.profile).registry;
    const others = (await db.sql`select ${db.sql(reg.key)}::text as id from ${db.sql(reg.table)} order by 1`).map((o) => o.id as string);
    const theirs = async () => Promise.all(others.map(async (id) => ({ id, rows: await orgRowTexts(db.sql, c.profile, cls, id) })));
    const theirsBefore = await theirs();
    const stock = c.profile === 'abparts' ? await derivedStock(db.sql) : [];

    const r = await cli(['backup', 'restore-tenant', backup, '--tenant', handle, '--as', c.as, '--force', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const result = JSON.parse(r.stdout) as { targetId: string; leftOut: { table: string; rows: number; entries: { row: string; reason: string; owner: string | null }[] }[]; unlinked: { table: string; rows: number; entries: { row: string; columns: string[] }[] }[] };
    const copy = result.targetId;

    // (3) what was left out and what was cleared, by the backup's row keys.
    const keys = (tables: { table: string; entries: { row: string }[] }[]) => Object.fromEntries(tables.map((t) => [t.table, t.entries.map((e) => e.row).sort()]));
    expect(keys(result.leftOut)).toEqual(Object.fromEntries(Object.entries(c.leftOut).map(([t, rows]) => [t, [...rows].sort()])));
    expect(keys(result.unlinked)).toEqual(Object.fromEntries(Object.entries(c.unlinked).map(([t, rows]) => [t, [...rows].sort()])));
    for (const t of result.leftOut) {
      expect(t.rows).toBe(t.entries.length);
      // Each row names why: another organization's row (and whose), or a left-out row it depends on.
      for (const e of t.entries) expect(e.reason === 'left-out-parent' || (e.reason === 'other-organization' && e.owner !== c.org)).toBe(true);
    }

    // (1) every row there before is there after, unchanged; every added row is the copy's.
    const after = await dumpAll(db.sql, cls);
    const copyRows = await orgRowTexts(db.sql, c.profile, cls, copy);
    for (const table of Object.keys(before)) {
      const { added, removed } = diff(before[table]!, after[table]!);
      expect(removed, `${table}: rows changed or removed`).toEqual([]);
      expect(diff(copyRows[table] ?? [], added).added, `${table}: rows added that are not the copy's`).toEqual([]);
    }
    // …and what each other organization owns or sees through its people (its row sets) is the same.
    expect(await theirs()).toEqual(theirsBefore);
    if (c.profile === 'abparts') expect((await derivedStock(db.sql)).sort()).toEqual([...stock, ...(await copyStock(db.sql, copy))].sort());

    // (2) no row of the copy points at another organization's row, by a key or by an id held without one.
    expect(await linksOut(db.sql, c.profile, cls, copy)).toEqual([]);
    for (const id of c.ids) expect(await idsOf(db.sql, c.profile, cls, copy, id), `${id.table}.${id.column}`).toEqual({ inside: id.inside, outside: [] });

    // (4) every other row of the organization is in the copy.
    const expected = Object.fromEntries(Object.entries(original).map(([t, rows]) => [t, rows.length - (c.leftOut[t]?.length ?? 0)]).filter(([, n]) => n !== 0));
    const got = Object.fromEntries(Object.entries(copyRows).map(([t, rows]) => [t, rows.length]).filter(([, n]) => n !== 0));
    expect(got).toEqual(expected);
    expect(await orphanScratch(db.sql)).toEqual([]);
  });

  it('says so on the terminal: the rows left out per table with their keys and the other organization, and the links cleared', async () => {
    // The first copy goes (nothing of another organization points at it, so its erasure goes through), then a copy again, without --json.
    const [first] = await db.sql`select ${db.sql(declOf(c.profile).registry.key)}::text as id from ${db.sql(declOf(c.profile).registry.table)} where ${db.sql(declOf(c.profile).registry.handle)} = ${c.as}`;
    const gone = await cli(['tenant', 'erase', first!.id as string, '--yes', '--confirm', first!.id as string, '--reason', 'as cross-org test', ...c.erase]);
    expect(gone.code, gone.stderr).toBe(0);
    const r = await cli(['backup', 'restore-tenant', backup, '--tenant', handle, '--as', c.as, '--force']);
    expect(r.code, r.stderr).toBe(0);
    const count = (rows: Record<string, string[]>) => `${Object.values(rows).flat().length} row(s) in ${Object.keys(rows).length} table(s)`;
    expect(r.stdout).toContain(`NOT copied (they point at another organization's rows, or depend on rows not copied): ${count(c.leftOut)}`);
    expect(r.stdout).toContain(`copied without their link to another organization (optional link cleared): ${count(c.unlinked)}`);
    for (const line of c.terminal) expect(r.stdout).toContain(line);
  });
});

/** ABParts: the derived stock of the copy's own warehouses (new ones), to add to what was there before. */
async function copyStock(sql: Sql, copy: string): Promise<string[]> {
  const rows = await sql`select w, part_id::text as part, sum(q)::text as stock from (
      select to_warehouse_id as w, part_id, quantity as q from transactions where to_warehouse_id is not null
      union all select from_warehouse_id, part_id, -quantity from transactions where from_warehouse_id is not null) m
    where w in (select id from warehouses where organization_id = ${copy})
    group by 1, 2 order by 1, 2`;
  return rows.map((r) => `${r.w}:${r.part}=${r.stock}`);
}
