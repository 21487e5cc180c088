import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/connect.js';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { applyErase } from '../../src/pooled/apply.js';
import { classify, type Classification } from '../../src/pooled/classify.js';
import { planErase } from '../../src/pooled/plan.js';
import { postScan } from '../../src/pooled/post-scan.js';
import { NIL_UUID, PROMETRIC_DECLARATIONS as PROMETRIC } from '../../src/pooled/profiles/prometric.js';
import { loadSqlFile, migrateProfileUp, profileMigrations } from '../profiles/load-profile-sql.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { checksums } from './synthetic.js';

/** `<o><tt>00000-0000-4000-8000-0000000000<nn>` (prometric-crossing.sql); people are `e0000000-…<nn>`. */
const row = (o: string, tt: number, nn: number) => `${o}${String(tt).padStart(2, '0')}00000-0000-4000-8000-0000000000${String(nn).padStart(2, '0')}`;
const person = (nn: number) => `e0000000-0000-4000-8000-0000000000${String(nn).padStart(2, '0')}`;
const ORG = { A: 'a0000000-0000-4000-8000-000000000000', B: 'b0000000-0000-4000-8000-000000000000' };

describe('pooled erasure on the Prometric profile (migrations/prometric + the crossing dataset)', () => {
  let db: TestDatabase;
  let sql: Sql;
  let cls: Classification;
  beforeAll(async () => {
    db = await createTestDatabase('pooled_prometric');
    sql = db.sql;
    await migrateProfileUp(sql, await profileMigrations('prometric'));
    await loadSqlFile(sql, `${PACKAGE_ROOT}test/profiles/data/prometric-crossing.sql`);
    cls = await classify(sql, PROMETRIC);
  });
  afterAll(async () => db.drop());

  it('classifies as POOLED.md §3 does: users a shared identity, system_logs by its FK-less column, audit_logs (partitioned) direct', () => {
    const classes: Record<string, string[]> = {};
    for (const t of cls.tables) (classes[t.class] ??= []).push(t.table);
    expect(Object.fromEntries(Object.entries(classes).map(([k, v]) => [k, v.sort()]))).toEqual({
      registry: ['organizations'],
      'shared-identity': ['users'],
      direct: ['app_settings', 'audit_logs', 'bills_of_materials', 'customers', 'deals', 'departments', 'employees', 'invoices', 'orders', 'payments',
        'product_categories', 'production_orders', 'products', 'projects', 'suppliers', 'system_logs', 'tasks', 'time_entries', 'workspaces'],
      indirect: ['bom_components', 'customer_addresses', 'customer_contacts', 'deal_activities', 'deal_products', 'email_verifications', 'invoice_items', 'order_items'],
    });
  });

  it('refuses while B\'s order line needs A\'s product (NOT NULL + trigger), naming it, and changes nothing', async () => {
    const plan = await planErase(sql, PROMETRIC, cls, ORG.A);
    expect(plan.refusals.map((r) => `${r.table}.${r.columns}: ${r.sample.map((s) => `${s.row}@${s.owner}`).join(' ')}`)).toEqual([
      `order_items.product_id: ${row('b', 15, 3)}@${ORG.B}`,
    ]);
    const before = await checksums(sql, 'public');
    await expect(sql.begin((tx) => applyErase(tx as unknown as Sql, plan))).rejects.toMatchObject({ code: 'ERASE_REFUSED' });
    expect(await checksums(sql, 'public')).toEqual(before);
  });

  it('once that line is gone: keeps shared people, erases A\'s own, anonymizes other tenants\' trails, and no row holds A\'s id', async () => {
    await sql`delete from order_items where id = ${row('b', 15, 3)}`;
    const plan = await planErase(sql, PROMETRIC, cls, ORG.A);
    expect(plan.blocked).toBe(false);
    const actions = Object.fromEntries(plan.references.filter((r) => r.rows > 0).map((r) => [`${r.table}.${r.columns}`, `${r.action}:${r.rows}`]));
    expect(actions).toMatchObject({
      'audit_logs.user_id': 'anonymize:3', // cases 7, 8, 9
      'app_settings.updated_by': 'nullify:1', // 14
      'workspaces.created_by': 'nullify:1', // 15
      'orders.customer_id': 'nullify:1', // 16
      'deals.assigned_to': 'nullify:1', // 21
    });
    expect(plan.cycleBreakers.map((b) => `${b.table}.${b.columns}`)).toEqual(['departments.head_id']); // 22
    const result = await sql.begin((tx) => applyErase(tx as unknown as Sql, plan));
    expect(result.counts.postSteps).toEqual(['refreshed daily_sales_summary']); // 23

    const people = await sql<{ id: string }[]>`select id::text from users where id in (${person(1)}, ${person(2)}, ${person(5)}) order by id`;
    expect(people.map((p) => p.id)).toEqual([person(1), person(5)]); // 1, 2 kept; 3 erased
    const [r] = await sql`select
      (select count(*)::int from employees where organization_id = ${ORG.A}) as a_employees,
      (select count(*)::int from employees where user_id in (${person(1)}, ${person(5)}) and organization_id = ${ORG.B}) as b_employment,
      (select count(*)::int from email_verifications where user_id = ${person(2)} or lower(email) = 'nurlan.sadykov@example.kz') as verifications,
      (select row(user_id, user_email, ip_address, user_agent, session_id, entity_id)::text from audit_logs where id = ${row('b', 24, 3)}) as b_audit,
      (select entity_id::text from audit_logs where id = ${row('f', 24, 1)}) as platform_entity,
      (select participants::text from deal_activities where id = ${row('b', 11, 1)}) as participants,
      (select assigned_team::text from production_orders where id = ${row('b', 18, 1)}) as team,
      (select related_entity_id from tasks where id = ${row('b', 22, 1)}) as task_link,
      (select count(*)::int from system_logs where id in (1, 2)) as a_logs,
      (select row(user_id, message ~* 'nurlan')::text from system_logs where id = 3) as b_log,
      (select row(order_count, total_revenue)::text from daily_sales_summary where sale_date = '2025-03-10') as day`;
    expect(r).toEqual({
      a_employees: 0, b_employment: 2, verifications: 0,
      b_audit: `(,,,,,${NIL_UUID})`, platform_entity: NIL_UUID,
      participants: `{${row('b', 3, 1)}}`, team: `{${row('b', 3, 2)}}`, task_link: null,
      a_logs: 0, b_log: '(,f)', day: '(1,799000.00)',
    });
    const scan = await postScan(sql, PROMETRIC, cls, ORG.A, result.erasedValues);
    expect(scan.found).toEqual([]);
    // Case 10: B's audit JSON naming A's customer is reported, not rewritten.
    expect(plan.personalData.find((p) => p.table === 'audit_logs' && p.column === 'new_values')).toMatchObject({ action: 'report', rows: 1 });
  });
});
