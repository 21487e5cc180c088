import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/connect.js';
import { applyErase } from '../../src/pooled/apply.js';
import { classify } from '../../src/pooled/classify.js';
import type { PooledDeclarations } from '../../src/pooled/declarations.js';
import { planErase, type ErasePlan } from '../../src/pooled/plan.js';
import { postScan } from '../../src/pooled/post-scan.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { addOrganization, checksums, id, loadSynthetic, plantHardCrossings, plantSoftCrossings, SYNTHETIC } from './synthetic.js';

/** Plan, apply in one transaction, post-scan with the erased values: what `tenant erase` does. */
async function erase(sql: Sql, decl: PooledDeclarations, tenantId: string, options = {}) {
  const cls = await classify(sql, decl);
  const plan = await planErase(sql, decl, cls, tenantId, options);
  const result = await sql.begin((tx) => applyErase(tx as unknown as Sql, plan));
  const scan = await postScan(sql, decl, cls, tenantId, result.erasedValues);
  return { plan, result, scan };
}

/** Rows that do not mention organization `p` (its ids or its people's e-mails). */
const notOf = (p: string) => () => `t::text not like '%${p.repeat(8)}-%' and t::text not ilike '%@${p}-org.test%'`;
const of = (p: string) => () => `not (${notOf(p)()})`;

const reference = (plan: ErasePlan, table: string, column: string) => plan.references.find((r) => r.table === table && r.columns.join() === column)!;

describe('pooled erasure on the synthetic schema', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('pooled_erase');
    await loadSynthetic(db.sql);
    // A has hard and soft crossings from B; D only soft ones from B; C none at all.
    for (const p of ['a', 'b', 'c', 'd']) await addOrganization(db.sql, p);
    await plantSoftCrossings(db.sql, 'b', 'a');
    await plantHardCrossings(db.sql, 'b', 'a');
    await plantSoftCrossings(db.sql, 'b', 'd', 200);
  });
  afterAll(async () => db.drop());

  it('erasing an organization nobody references leaves every other row byte-identical and nothing of it behind', async () => {
    const before = await checksums(db.sql, 'app', notOf('c'));
    const { plan, result, scan } = await erase(db.sql, SYNTHETIC, id('c', 0));
    expect(plan.blocked).toBe(false);
    expect(plan.references.filter((r) => r.rows > 0)).toEqual([]);
    expect(Object.fromEntries(plan.tables.map((t) => [t.table, t.rows]))).toMatchObject({
      organizations: 1, users: 2, roles: 1, role_permissions: 1, user_roles: 1, inventory: 1, inventory_transactions: 1,
      purchase_order_items: 1, shipment_tracking: 1, employees: 2, departments: 1, system_logs: 1, contracts: 1,
    });
    expect(result.counts.deleted).toMatchObject({ organizations: 1, users: 2, inventory_transactions: 1, employees: 2, system_logs: 1 });
    expect(await checksums(db.sql, 'app', notOf('c'))).toEqual(before);
    const left = await checksums(db.sql, 'app', of('c'));
    expect(Object.entries(left).filter(([, v]) => !v.startsWith('0:'))).toEqual([]);
    expect(scan).toMatchObject({ clean: true, found: [] });
    // Cycle (departments.head_id) broken first; the self-reference (employees.manager_id) went in one statement.
    expect(plan.cycleBreakers).toEqual([expect.objectContaining({ table: 'departments', columns: ['head_id'], parent: 'employees' })]);
    expect(plan.deleteOrder.indexOf('inventory_transactions')).toBeLessThan(plan.deleteOrder.indexOf('inventory'));
    expect(plan.deleteOrder.at(-1)).toBe('organizations');
  });

  it('refuses when other tenants hold required references, names the rows and their owner, and changes nothing', async () => {
    const cls = await classify(db.sql, SYNTHETIC);
    const plan = await planErase(db.sql, SYNTHETIC, cls, id('a', 0));
    expect(plan.blocked).toBe(true);
    const refusals = Object.fromEntries(plan.refusals.map((r) => [`${r.table}.${r.columns.join()}`, r.sample.map(({ row, owner }) => ({ row, owner }))]));
    expect(plan.refusals[0]!.sample[0]!.ownerHandle).toBe('Org B');
    const b = id('b', 0);
    expect(refusals).toEqual({
      'inventory.product_id': [{ row: id('b', 110), owner: b }],
      'purchase_orders.supplier_id': [{ row: id('b', 111), owner: b }],
      'purchase_order_items.product_id': [{ row: id('b', 112), owner: b }],
      'product_notes.product_id': [{ row: id('b', 114), owner: b }],
      'audit_trail.actor_id': [{ row: id('b', 115), owner: b }],
      // A's own contract is co-owned with B (the vendor): B's business record blocks.
      'contracts.vendor_organization_id': [{ row: id('b', 113), owner: b }],
    });
    expect(reference(plan, 'product_notes', 'product_id').why).toContain('CASCADE');
    const before = await checksums(db.sql);
    await expect(db.sql.begin((tx) => applyErase(tx as unknown as Sql, plan))).rejects.toMatchObject({
      code: 'ERASE_REFUSED',
      message: expect.stringContaining(`1 row of inventory (product_id → products; a required (NOT NULL) reference: erasing would break the other tenant's row): ${id('b', 110)} of Org B (${b})`),
    });
    expect(await checksums(db.sql)).toEqual(before);
  });

  it('lists every soft crossing with its action, carries them out, and leaves B otherwise unchanged', async () => {
    const cls = await classify(db.sql, SYNTHETIC);
    const plan = await planErase(db.sql, SYNTHETIC, cls, id('d', 0));
    expect(plan.blocked).toBe(false);
    const actions = Object.fromEntries(plan.references.filter((r) => r.rows > 0).map((r) => [`${r.table}.${r.columns.join()}`, `${r.action}:${r.rows}`]));
    expect(actions).toEqual({
      'user_roles.role_id': 'unlink:1',
      'warehouses.manager_id': 'nullify:1',
      'inventory_transactions.created_by': 'nullify:1',
      'purchase_orders.created_by': 'nullify:1',
      'analytics_events.user_id': 'nullify:1',
      'shipments.destination_warehouse_id': 'nullify:1',
      'employees.manager_id': 'nullify:1',
      'departments.head_id': 'nullify:1',
      'app_settings.updated_by': 'nullify:1',
    });
    expect(reference(plan, 'app_settings', 'updated_by').sample).toEqual([{ row: id('b', 208), owner: null, ownerHandle: null }]);
    // The JSON and array columns scrubbed without a declaration (catalog-scrubs.ts) are counted too; here only the declared ones.
    expect(Object.fromEntries(plan.personalData.filter((p) => !p.found).map((p) => [`${p.table}.${p.column}`, p.rows]))).toEqual({
      'analytics_events.entity_id': 1, 'analytics_events.metadata': 1, 'system_logs.message': 1,
    });
    // Every row but the crossing ones (B's ids 200…) and D's own stays byte-identical.
    const untouched = () => `t::text not like '%bbbbbbbb-0000-4000-8000-0000000002__%' and t::text not like '%[erased]%' and ${notOf('d')()}`;
    const before = await checksums(db.sql, 'app', untouched);
    const result = await db.sql.begin((tx) => applyErase(tx as unknown as Sql, plan));
    expect(await checksums(db.sql, 'app', untouched)).toEqual(before);
    const [b] = await db.sql`
      select (select manager_id from app.warehouses where id = ${id('b', 201)}) as manager,
             (select created_by from app.inventory_transactions where id = ${id('b', 202)}) as txn_by,
             (select created_by from app.purchase_orders where id = ${id('b', 203)}) as po_by,
             (select row(user_id, entity_id, metadata::text)::text from app.analytics_events where id = ${id('b', 204)}) as event,
             (select row(origin_warehouse_id, destination_warehouse_id)::text from app.shipments where id = ${id('b', 205)}) as shipment,
             (select manager_id from app.employees where id = ${id('b', 206)}) as manager_emp,
             (select head_id from app.departments where id = ${id('b', 207)}) as head,
             (select updated_by from app.app_settings where id = ${id('b', 208)}) as setting_by,
             (select count(*)::int from app.user_roles where id = ${id('b', 200)}) as link,
             (select message from app.system_logs where message like 'support contacted [erased]%') as log`;
    expect(b).toEqual({
      manager: null, txn_by: null, po_by: null,
      event: '(,,"{""by"": ""[erased]"", ""ok"": true}")',
      shipment: `(${id('b', 8)},)`,
      manager_emp: null, head: null, setting_by: null, link: 0,
      log: `support contacted [erased] about ${id('b', 0)}`,
    });
    expect(result.counts.references).toContainEqual({ table: 'user_roles', columns: ['role_id'], action: 'unlink', rows: 1 });
    const scan = await postScan(db.sql, SYNTHETIC, cls, id('d', 0), result.erasedValues);
    expect(scan).toMatchObject({ clean: true, found: [] });
    expect(scan.notSearched).toContain('inventory_transactions.notes');
    const left = await checksums(db.sql, 'app', of('d'));
    expect(Object.entries(left).filter(([, v]) => !v.startsWith('0:'))).toEqual([]);
  });

  it('the post-scan finds an id the profile did not declare, in a column nobody told it about', async () => {
    await db.sql`insert into app.analytics_events (organization_id, event_type, metadata) values (${id('b', 0)}, 'note', ${db.sql.json({ org: id('c', 0) })})`;
    const cls = await classify(db.sql, SYNTHETIC);
    const scan = await postScan(db.sql, SYNTHETIC, cls, id('c', 0));
    expect(scan).toMatchObject({ clean: false, found: [{ table: 'analytics_events', column: 'metadata', rows: 1, match: 'tenant id' }] });
    await db.sql`delete from app.analytics_events where event_type = 'note'`;
  });

  it('with sharedRows tombstone, re-points required references and co-owned rows at the placeholders, reused by later erasures', async () => {
    const tomb = SYNTHETIC.tombstone!.rows;
    for (const [i, p] of ['e', 'f'].entries()) {
      await addOrganization(db.sql, p);
      await db.sql`insert into app.audit_trail (id, organization_id, actor_id, action) values (${id('b', 301 + i)}, ${id('b', 0)}, ${id(p, 1)}, 'approved')`;
      await db.sql`insert into app.contracts (id, customer_organization_id, vendor_organization_id, title) values (${id('b', 401 + i)}, ${id(p, 0)}, ${id('b', 0)}, 'supply')`;
    }
    const cls = await classify(db.sql, SYNTHETIC);
    const refused = await planErase(db.sql, SYNTHETIC, cls, id('e', 0));
    expect(refused.refusals.map((r) => `${r.table}.${r.columns}: ${r.why}`)).toEqual([
      'audit_trail.actor_id: a required (NOT NULL) reference: erasing would break the other tenant\'s row (or run with --shared-rows tombstone)',
      'contracts.vendor_organization_id: the row also belongs to the tenant in vendor_organization_id (or run with --shared-rows tombstone)',
    ]);
    for (const p of ['e', 'f']) {
      const { plan, scan } = await erase(db.sql, SYNTHETIC, id(p, 0), { sharedRows: 'tombstone' });
      expect(plan.blocked).toBe(false);
      expect(plan.references.filter((r) => r.rows > 0).map((r) => `${r.table}.${r.columns}:${r.action}`)).toEqual(['audit_trail.actor_id:tombstone', 'contracts.vendor_organization_id:tombstone']);
      expect(scan.found).toEqual([]);
    }
    const rows = await db.sql`select a.actor_id::text as actor, c.customer_organization_id::text as customer
      from app.audit_trail a join app.contracts c on right(c.id::text, 2) = right(a.id::text, 2)
      where a.id in (${id('b', 301)}, ${id('b', 302)}) and c.id in (${id('b', 401)}, ${id('b', 402)}) order by a.id`;
    expect(rows).toEqual([{ actor: tomb[1]!.key, customer: tomb[0]!.key }, { actor: tomb[1]!.key, customer: tomb[0]!.key }]);
    const [placeholders] = await db.sql`select (select count(*)::int from app.organizations where kind = 'tombstone') as orgs, (select count(*)::int from app.users where email = 'erased@invalid') as users`;
    expect(placeholders).toEqual({ orgs: 1, users: 1 });
    await expect(planErase(db.sql, SYNTHETIC, cls, tomb[0]!.key)).rejects.toMatchObject({ code: 'TENANT_NOT_ERASABLE', message: expect.stringContaining('placeholder') });
  });

  it('will not erase a platform singleton', async () => {
    await addOrganization(db.sql, '9', 'platform');
    const cls = await classify(db.sql, SYNTHETIC);
    await expect(planErase(db.sql, SYNTHETIC, cls, id('9', 0))).rejects.toMatchObject({ code: 'TENANT_NOT_ERASABLE', message: expect.stringContaining('platform singleton') });
  });
});
