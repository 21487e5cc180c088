import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/connect.js';
import { applyErase } from '../../src/pooled/apply.js';
import { classify, type Classification } from '../../src/pooled/classify.js';
import { planErase } from '../../src/pooled/plan.js';
import { postScan } from '../../src/pooled/post-scan.js';
import { IMSOP_DECLARATIONS as IMSOP } from '../../src/pooled/profiles/imsop.js';
import { CROSSING_SQL, ORGS, OWNER } from '../profiles/imsop-dataset.js';
import { loadSqlFile, migrateProfileUp, profileMigrations } from '../profiles/load-profile-sql.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { checksums } from './synthetic.js';

/** `0000000a-0000-4000-8000-0000000000b9`: the crossing dataset's ids (table code, owner letter, row number). */
const row = (table: number, on: string) => `${table.toString(16).padStart(8, '0')}-0000-4000-8000-0000000000${on}`;
const T = { users: 2, roles: 3, user_roles: 6, suppliers: 7, products: 8, warehouses: 9, inventory: 10, inventory_transactions: 11, purchase_orders: 12, purchase_order_items: 13, shipments: 14, analytics_events: 16 };

/** Rows not owned by `org` (the dataset's owner expressions), minus the crossing rows `except` (for byte-identical checks). */
const notOwnedBy = (org: string, except: string[] = []) => (table: string) => {
  const owner = table === 'organizations' ? 't.id' : OWNER[table]?.('t') ?? 'null';
  const crossing = except.length ? ` and t.id::text !~ '(${except.join('|')})$'` : '';
  return `(${owner})::text is distinct from '${org}'${crossing}`;
};

describe('pooled erasure on the IMSOP profile (migrations/imsop + the crossing dataset)', () => {
  let db: TestDatabase;
  let sql: Sql;
  let cls: Classification;
  beforeAll(async () => {
    db = await createTestDatabase('pooled_imsop');
    sql = db.sql;
    await migrateProfileUp(sql, await profileMigrations('imsop'));
    await loadSqlFile(sql, CROSSING_SQL);
    cls = await classify(sql, IMSOP);
  });
  afterAll(async () => db.drop());

  it('classifies every table as POOLED.md §1 does', () => {
    const classes: Record<string, string[]> = {};
    for (const t of cls.tables) (classes[t.class] ??= []).push(t.class === 'indirect' ? `${t.table}(${t.owner!.parent})` : t.table);
    expect(Object.fromEntries(Object.entries(classes).map(([k, v]) => [k, v.sort()]))).toEqual({
      registry: ['organizations'],
      direct: ['analytics_events', 'analytics_metrics', 'products', 'purchase_orders', 'roles', 'shipments', 'suppliers', 'users', 'warehouses'],
      indirect: ['inventory(warehouses)', 'inventory_transactions(inventory)', 'purchase_order_items(purchase_orders)', 'role_permissions(roles)', 'shipment_tracking(shipments)', 'user_roles(users)'],
      global: ['permissions'],
    });
    expect(cls.problems).toEqual([]);
  });

  it('plans every planted crossing of imsop-crossing.md with its action, and a refusal changes nothing', async () => {
    const plan = await planErase(sql, IMSOP, cls, ORGS.A);
    const seen = Object.fromEntries(plan.references.filter((r) => r.rows > 0).map((r) => [`${r.table}.${r.columns.join()}`, `${r.action}: ${r.sample.map((s) => `${s.row.slice(-2)}@${s.owner!.slice(-2)}`).join(' ')}`]));
    expect(seen).toEqual({
      'user_roles.role_id': 'unlink: b9@b0 c9@c0', // cases 1, 2
      'warehouses.manager_id': 'nullify: b9@b0', // 3
      'inventory_transactions.created_by': 'nullify: b9@b0', // 4
      'purchase_orders.created_by': 'nullify: b8@b0', // 5
      'analytics_events.user_id': 'nullify: b9@b0', // 6
      'shipments.origin_warehouse_id': 'nullify: b9@b0', // 7
      'shipments.destination_warehouse_id': 'nullify: c9@c0', // 8
      'inventory.product_id': 'refuse: b9@b0 c9@c0', // 9, 10
      'purchase_orders.supplier_id': 'refuse: b9@b0', // 11
      'purchase_order_items.product_id': 'refuse: b9@b0 c9@c0', // 12, 13
    });
    expect(plan.blocked).toBe(true);
    expect(plan.refusals.flatMap((r) => r.sample.map((s) => `${r.table} ${s.row}`)).sort()).toEqual([
      `inventory ${row(T.inventory, 'b9')}`, `inventory ${row(T.inventory, 'c9')}`,
      `purchase_order_items ${row(T.purchase_order_items, 'b9')}`, `purchase_order_items ${row(T.purchase_order_items, 'c9')}`,
      `purchase_orders ${row(T.purchase_orders, 'b9')}`,
    ]);
    // Cases 18-24: the ids and e-mails outside the foreign keys, in B's and C's rows; 27-28 (B's own Dana) are not A's.
    // (Keyed by column and what it holds: the notes are searched for e-mails and, separately, for names; no name of A's people is planted.)
    expect(Object.fromEntries(plan.personalData.filter((p) => !p.found).map((p) => [`${p.table}.${p.column}${p.holds === 'names' ? ' (names)' : ''}`, `${p.action}:${p.rows}`]))).toEqual({
      'analytics_events.entity_id': 'nullify:2',
      'analytics_events.metadata': 'scrub:2',
      'inventory_transactions.notes': 'report:1',
      'purchase_orders.notes': 'report:1',
      'inventory_transactions.reference_id': 'report:1',
      'inventory_transactions.notes (names)': 'report:0',
      'purchase_orders.notes (names)': 'report:0',
    });
    const before = await checksums(sql, 'public');
    await expect(sql.begin((tx) => applyErase(tx as unknown as Sql, plan))).rejects.toMatchObject({ code: 'ERASE_REFUSED' });
    expect(await checksums(sql, 'public')).toEqual(before);
  });

  it('once B and C resolve the refused rows, erases A: each crossing gets its action, B and C are otherwise byte-identical, no row holds A\'s id', async () => {
    // B and C drop their rows that need A's products and supplier (the refusal's advice).
    await sql`delete from inventory_transactions where inventory_id in (${row(T.inventory, 'b9')}, ${row(T.inventory, 'c9')})`;
    await sql`delete from inventory where id in (${row(T.inventory, 'b9')}, ${row(T.inventory, 'c9')})`;
    await sql`delete from purchase_order_items where id in (${row(T.purchase_order_items, 'b9')}, ${row(T.purchase_order_items, 'c9')}) or purchase_order_id = ${row(T.purchase_orders, 'b9')}`;
    await sql`delete from purchase_orders where id = ${row(T.purchase_orders, 'b9')}`;
    // Every row B and C own stays byte-identical, except the crossing rows (b8, b9, c9) the actions change.
    const kept = notOwnedBy(ORGS.A, ['b8', 'b9', 'c9']);
    const before = await checksums(sql, 'public', kept);
    const plan = await planErase(sql, IMSOP, cls, ORGS.A);
    expect(plan.blocked).toBe(false);
    const result = await sql.begin((tx) => applyErase(tx as unknown as Sql, plan));
    expect(result.counts.deleted).toMatchObject({ organizations: 1, users: 3 });

    const [b] = await sql`
      select (select count(*)::int from user_roles where id in (${row(T.user_roles, 'b9')}, ${row(T.user_roles, 'c9')})) as links,
             (select manager_id from warehouses where id = ${row(T.warehouses, 'b9')}) as manager,
             (select row(created_by, notes)::text from inventory_transactions where id = ${row(T.inventory_transactions, 'b9')}) as txn,
             (select row(created_by, notes)::text from purchase_orders where id = ${row(T.purchase_orders, 'b8')}) as po,
             (select row(entity_id, user_id, metadata::text)::text from analytics_events where id = ${row(T.analytics_events, 'b8')}) as invited,
             (select user_id from analytics_events where id = ${row(T.analytics_events, 'b9')}) as event_user,
             (select metadata::text from analytics_events where id = ${row(T.analytics_events, 'b3')}) as danas_own,
             (select origin_warehouse_id from shipments where id = ${row(T.shipments, 'b9')}) as origin,
             (select destination_warehouse_id from shipments where id = ${row(T.shipments, 'c9')}) as destination,
             (select count(*)::int from users where id = ${row(T.users, 'b3')}) as dana_b`;
    expect(b).toEqual({
      links: 0,
      manager: null,
      // Free-text notes are reported, not rewritten (the plan and the post-scan say so).
      txn: '(,"Booked by arjun.patel@acme-logistics.test (3PL)")',
      po: '(,"Placed by alice.admin@acme-logistics.test during the joint-purchasing pilot")',
      invited: `(,${row(T.users, 'b1')},"{""invited_email"": ""[erased]"", ""board"": ""joint-purchasing""}")`,
      event_user: null,
      danas_own: '{"email": "dana.kowalski@freightconsult.test"}',
      origin: null,
      destination: null,
      dana_b: 1,
    });
    expect(await checksums(sql, 'public', kept)).toEqual(before);
    const [left] = await sql`select (select count(*)::int from organizations where id = ${ORGS.A}) as org, (select count(*)::int from users where organization_id = ${ORGS.A}) as users,
      (select count(*)::int from inventory i join warehouses w on w.id = i.warehouse_id where w.organization_id = ${ORGS.A}) as stock`;
    expect(left).toEqual({ org: 0, users: 0, stock: 0 });

    const scan = await postScan(sql, IMSOP, cls, ORGS.A, result.erasedValues);
    expect(scan.found).toEqual([]);
    expect(scan.clean).toBe(true);
    // The two notes still name A's people: reported (declared free text), never silently passed.
    expect(scan.reported.map((h) => `${h.table}.${h.column}`).sort()).toEqual(['inventory_transactions.notes', 'purchase_orders.notes']);
  });

  it('then erasing C, which nobody references any more, leaves B byte-identical', async () => {
    const bOnly = notOwnedBy(ORGS.C);
    const before = await checksums(sql, 'public', bOnly);
    const plan = await planErase(sql, IMSOP, cls, ORGS.C);
    expect(plan.references.filter((r) => r.rows > 0)).toEqual([]);
    const result = await sql.begin((tx) => applyErase(tx as unknown as Sql, plan));
    expect(await checksums(sql, 'public', bOnly)).toEqual(before);
    expect((await postScan(sql, IMSOP, cls, ORGS.C, result.erasedValues)).clean).toBe(true);
    const [n] = await sql`select count(*)::int as n from organizations`;
    expect(n!.n).toBe(1);
  });
});
