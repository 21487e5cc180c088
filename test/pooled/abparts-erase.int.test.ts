import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/connect.js';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { applyErase } from '../../src/pooled/apply.js';
import { classify, type Classification } from '../../src/pooled/classify.js';
import { planErase } from '../../src/pooled/plan.js';
import { postScan } from '../../src/pooled/post-scan.js';
import { ABPARTS_DECLARATIONS as ABPARTS, ABPARTS_TOMBSTONE as TOMB } from '../../src/pooled/profiles/abparts.js';
import { loadSqlFile, migrateProfileUp, profileMigrations } from '../profiles/load-profile-sql.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { checksums } from './synthetic.js';

/** `TTOO0000-0000-4000-8000-0000000000NN` (abparts-crossing.sql). */
const row = (tt: string, oo: string, nn = 1) => `${tt}${oo}0000-0000-4000-8000-0000000000${String(nn).padStart(2, '0')}`;
const ORG = { oraseas: row('01', '0e'), A: row('01', 'aa'), B: row('01', 'bb'), C: row('01', 'cc'), supplier5a: row('01', '5a') };

/** Stock of every warehouse and part as computed from the transaction history (into minus out of). */
async function stockFromHistory(sql: Sql): Promise<Record<string, string>> {
  const rows = await sql<{ w: string; p: string; n: string }[]>`
    select w::text, p::text, sum(q)::text as n from (
      select to_warehouse_id as w, part_id as p, quantity as q from transactions where to_warehouse_id is not null
      union all select from_warehouse_id, part_id, -quantity from transactions where from_warehouse_id is not null) x
    group by 1, 2 order by 1, 2`;
  return Object.fromEntries(rows.map((r) => [`${r.w}/${r.p}`, r.n]));
}

describe('pooled erasure on the ABParts profile (migrations/abparts + the crossing dataset)', () => {
  let db: TestDatabase;
  let sql: Sql;
  let cls: Classification;
  beforeAll(async () => {
    db = await createTestDatabase('pooled_abparts');
    sql = db.sql;
    await migrateProfileUp(sql, await profileMigrations('abparts'));
    await loadSqlFile(sql, `${PACKAGE_ROOT}test/profiles/data/abparts-crossing.sql`);
    cls = await classify(sql, ABPARTS);
  });
  afterAll(async () => db.drop());

  it('classifies by foreign keys under four tenant column names, as POOLED.md §2 does', () => {
    const classes: Record<string, string[]> = {};
    for (const t of cls.tables) (classes[t.class] ??= []).push(t.class === 'direct' ? `${t.table}.${t.tenantColumn}` : t.table);
    expect(Object.fromEntries(Object.entries(classes).map(([k, v]) => [k, v.sort()]))).toEqual({
      registry: ['organizations'],
      direct: ['customer_orders.customer_organization_id', 'machines.customer_organization_id', 'part_usage.customer_organization_id', 'supplier_orders.ordering_organization_id', 'users.organization_id', 'warehouses.organization_id'],
      indirect: ['customer_order_items', 'inventory', 'invitation_audit_logs', 'security_events', 'stock_adjustments', 'supplier_order_items', 'transaction_approvals', 'transactions', 'user_management_audit_logs', 'user_sessions'],
      global: ['parts'],
    });
    expect(cls.tables.find((t) => t.table === 'transactions')!.ownerPath).toBe('transactions.from_warehouse_id (else to_warehouse_id, else machine_id, else performed_by_user_id) → warehouses.organization_id');
  });

  it('refuses to erase a platform singleton', async () => {
    await expect(planErase(sql, ABPARTS, cls, ORG.oraseas)).rejects.toMatchObject({ code: 'TENANT_NOT_ERASABLE', message: expect.stringContaining('platform singleton') });
  });

  it('by default refuses, naming every other organization\'s row that would break, and changes nothing', async () => {
    const plan = await planErase(sql, ABPARTS, cls, ORG.A);
    const refused = plan.refusals.flatMap((r) => r.sample.map((s) => `${r.table}.${r.columns.join()} ${s.row.slice(0, 4)}${s.row.slice(-2)}`)).sort();
    expect(refused).toEqual([
      'customer_orders.oraseas_organization_id 08aa01', // case 2: co-owned with Oraseas
      'customer_orders.oraseas_organization_id 08aa02',
      'organizations.parent_organization_id 015a01', // case 1
      'part_usage.warehouse_id 12bb02', // case 6
      'stock_adjustments.user_id 17bb01', // case 5
      'transaction_approvals.approver_id 18bb01', // case 5
      'transactions.machine_id 07bb04', // case 3: consumption out of A's warehouse on B's machine
      'transactions.performed_by_user_id 07bb02', // case 5
      'transactions.to_warehouse_id 070e03', // case 3: transfers into A
      'transactions.to_warehouse_id 070e04',
      'transactions.to_warehouse_id 075a02',
      'transactions.to_warehouse_id 07aa04', // case 3: A's transfer into B (co-owned)
      'transactions.to_warehouse_id 07bb01',
      'user_management_audit_logs.performed_by_user_id 16bb02', // case 5
    ]);
    // One column, two rules, each in its own words: transfers into A's warehouses, and A's own transfer into B's.
    const why = (kind: string) => plan.references.find((r) => r.kind === kind && r.table === 'transactions' && r.columns.join() === 'to_warehouse_id')!.why;
    expect(why('reference')).toMatch(/^a transfer into the tenant's warehouse/);
    expect(why('co-owned')).toMatch(/^the tenant's transfer into another tenant's warehouse/);
    const nullified = plan.references.filter((r) => r.action === 'nullify' && r.rows > 0).map((r) => `${r.table}.${r.columns.join()}:${r.rows}`).sort();
    expect(nullified).toEqual([
      'invitation_audit_logs.performed_by_user_id:1', // case 8
      'part_usage.machine_id:1', // case 6
      'part_usage.recorded_by_user_id:1', // case 6
      'transactions.machine_id:2', // case 4
      'users.invited_by_user_id:1', // case 7
    ]);
    expect(plan.personalData.find((p) => p.table === 'supplier_orders' && p.column === 'supplier_name')).toMatchObject({ action: 'report', rows: 1 }); // case 9
    expect(plan.personalData.filter((p) => p.table === 'security_events' && p.rows > 0).map((p) => p.holds).sort()).toEqual(['emails', 'ids', 'ids']); // case 10
    const before = await checksums(sql, 'public');
    await expect(sql.begin((tx) => applyErase(tx as unknown as Sql, plan))).rejects.toMatchObject({ code: 'ERASE_REFUSED', message: expect.stringContaining('Kaspian Fish Farms') });
    expect(await checksums(sql, 'public')).toEqual(before);
  });

  it('with --shared-rows tombstone keeps other tenants\' history and stock exactly, and leaves no trace of A', async () => {
    // The supplier under A is re-parented first (a supplier is refused, never tombstoned).
    await sql`update organizations set parent_organization_id = ${ORG.oraseas} where id = ${ORG.supplier5a}`;
    const aWarehouses = (await sql<{ id: string }[]>`select id::text from warehouses where organization_id = ${ORG.A}`).map((r) => r.id);
    const stockBefore = Object.fromEntries(Object.entries(await stockFromHistory(sql)).filter(([k]) => !aWarehouses.some((w) => k.startsWith(w))));
    const plan = await planErase(sql, ABPARTS, cls, ORG.A, { sharedRows: 'tombstone' });
    expect(plan.refusals).toEqual([]);
    const result = await sql.begin((tx) => applyErase(tx as unknown as Sql, plan));
    expect(result.counts.placeholders).toBe(3);

    const stockAfter = await stockFromHistory(sql);
    const placeholderKeys = Object.keys(stockAfter).filter((k) => k.startsWith(TOMB.warehouse));
    expect(Object.fromEntries(Object.entries(stockAfter).filter(([k]) => !placeholderKeys.includes(k)))).toEqual(stockBefore);
    const [order] = await sql`select customer_organization_id::text as customer, ordered_by_user_id, notes,
      (select count(*)::int from customer_order_items where customer_order_id = o.id) as lines from customer_orders o where id = ${row('08', 'aa', 1)}`;
    expect(order).toEqual({ customer: TOMB.organization, ordered_by_user_id: null, notes: null, lines: 2 });
    const [moved] = await sql`select (select row(from_warehouse_id, to_warehouse_id, performed_by_user_id)::text from transactions where id = ${row('07', 'aa', 4)}) as a_to_b,
      (select to_warehouse_id::text from transactions where id = ${row('07', 'bb', 1)}) as b_to_a`;
    expect(moved).toEqual({ a_to_b: `(${TOMB.warehouse},${row('03', 'bb')},${TOMB.user})`, b_to_a: TOMB.warehouse });

    // Case 10: a failed login for A's technician (no user id) loses its IP, agent and session with
    // the name; B's own event that mentions A's admin keeps B's user's.
    const events = await sql`select id::text, ip_address, user_agent, session_id, details from security_events
      where id in ('13000000-0000-4000-8000-000000000001', '13bb0000-0000-4000-8000-000000000002') order by id`;
    expect(events.map((e) => [e.id, e.ip_address, e.user_agent, e.session_id])).toEqual([
      ['13000000-0000-4000-8000-000000000001', null, null, null],
      ['13bb0000-0000-4000-8000-000000000002', '198.51.100.20', 'Mozilla/5.0 (Windows NT 10.0) Edge/126.0', 'sess-bb-01'],
    ]);
    expect(events.map((e) => e.details).join(' ')).not.toMatch(/kff\.|kaspianfish|02aa0000/);

    const scan = await postScan(sql, ABPARTS, cls, ORG.A, result.erasedValues);
    expect(scan.found).toEqual([]);
    const [left] = await sql`select count(*)::int as n from organizations where id = ${ORG.A}`;
    expect(left!.n).toBe(0);
    await expect(planErase(sql, ABPARTS, cls, TOMB.organization)).rejects.toMatchObject({ code: 'TENANT_NOT_ERASABLE' });
  });
});
