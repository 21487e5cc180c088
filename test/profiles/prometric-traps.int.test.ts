import { join } from 'node:path';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { loadSqlFile, migrateProfileUp, profileMigrations } from './load-profile-sql.js';

/**
 * Each trap ../shared/POOLED.md lists for seed 003 ("Loading", "Traps"), checked on the
 * crossing dataset as fixed (or, where the seed's behaviour is kept on purpose, as kept).
 * Every check runs in a transaction that is rolled back, so each sees the data as loaded.
 */

type Tx = postgres.TransactionSql<Record<string, never>>;
const CROSSING = join(PACKAGE_ROOT, 'test', 'profiles', 'data', 'prometric-crossing.sql');
const A_BOLT = 'a0500000-0000-4000-8000-000000000001';
const A_DEAL = 'a0900000-0000-4000-8000-000000000001';
const A_ORG = 'a0000000-0000-4000-8000-000000000000';
const A_MAIN = 'a0100000-0000-4000-8000-000000000001';
const A_OWNER = 'a0300000-0000-4000-8000-000000000001';

describe('prometric: the seed 003 traps, fixed', () => {
  let db: TestDatabase;
  const ROLLBACK = new Error('rollback');
  const rolledBack = async (work: (tx: Tx) => Promise<void>): Promise<void> => {
    await db.sql.begin(async (tx) => {
      await work(tx);
      throw ROLLBACK;
    }).catch((error: unknown) => {
      if (error !== ROLLBACK) throw error;
    });
  };
  /** The statement fails with this message, and only its savepoint is lost. */
  const fails = (tx: Tx, statement: (sp: Tx) => Promise<unknown>, message: RegExp) =>
    expect(tx.savepoint((sp) => statement(sp as Tx))).rejects.toThrow(message);

  beforeAll(async () => {
    db = await createTestDatabase('prometric_traps');
    await migrateProfileUp(db.sql, await profileMigrations('prometric'));
    await loadSqlFile(db.sql, CROSSING);
  });
  afterAll(async () => db?.drop());

  it('stores the unit default as шт, not the mojibake ÑˆÑ‚', async () => {
    const rows = await db.sql`select encode(convert_to(unit, 'UTF8'), 'hex') as hex, unit from products where code = 'BOLT-M8'`;
    expect(rows).toEqual([{ hex: 'd188d182', unit: 'шт' }]);
  });

  it('computes generated columns and rejects writes to them', () =>
    rolledBack(async (tx) => {
      const [p] = await tx`select available_quantity from products where id = ${A_BOLT}`;
      expect(p!.available_quantity).toBe(4800);
      const [o] = await tx`select total_amount from orders where order_number = 'QM-SO-0001'`;
      expect(o!.total_amount).toBe('1364000.00');
      await fails(tx, (sp) => sp`update products set available_quantity = 1 where id = ${A_BOLT}`, /column "available_quantity" can only be updated to DEFAULT/);
      await fails(tx, (sp) => sp`insert into orders (organization_id, workspace_id, created_by, total_amount) values (${A_ORG}, ${A_MAIN}, ${A_OWNER}, 5)`, /cannot insert a non-DEFAULT value into column "total_amount"/);
    }));

  it('partitions audit_logs by month: the seed month routes to audit_logs_y2025m01, every month through 3 ahead has audit_logs_pYYYY_MM, no DEFAULT', () =>
    rolledBack(async (tx) => {
      const [shape] = await tx`
        select p.partstrat, a.attname,
               (select count(*)::int from pg_inherits i join pg_class c on c.oid = i.inhrelid
                 where i.inhparent = 'audit_logs'::regclass and pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT') as defaults
        from pg_partitioned_table p join pg_attribute a on a.attrelid = p.partrelid and a.attnum = p.partattrs[0]
        where p.partrelid = 'audit_logs'::regclass`;
      expect(shape).toEqual({ partstrat: 'r', attname: 'timestamp', defaults: 0 });
      const insert = (at: postgres.Fragment) => tx`
        insert into audit_logs (organization_id, entity_type, entity_id, action, timestamp)
        values (${A_ORG}, 'organizations', ${A_ORG}, 'UPDATE', ${at}) returning tableoid::regclass::text as part`;
      const [jan] = await insert(tx`timestamp '2025-01-31 23:59:59'`);
      expect(jan!.part).toBe('audit_logs_y2025m01');
      const [now] = await insert(tx`(now() at time zone 'UTC')`);
      const [ahead] = await insert(tx`date_trunc('month', (now() at time zone 'UTC')) + interval '3 months'`);
      const [names] = await tx`select 'audit_logs_p' || to_char((now() at time zone 'UTC'), 'YYYY_MM') as now,
                                      'audit_logs_p' || to_char((now() at time zone 'UTC') + interval '3 months', 'YYYY_MM') as ahead`;
      expect([now!.part, ahead!.part]).toEqual([names!.now, names!.ahead]);
      const [months] = await tx`select count(*)::int as n from pg_inherits where inhparent = 'audit_logs'::regclass`;
      const [expected] = await tx`select (extract(year from age(date_trunc('month', (now() at time zone 'UTC')), date '2025-01-01')) * 12
                                          + extract(month from age(date_trunc('month', (now() at time zone 'UTC')), date '2025-01-01')))::int + 4 as n`;
      expect(months!.n).toBe(expected!.n);
    }));

  it('closes the departments <-> employees cycle with departments_head_id_fkey: the head goes only after head_id is nulled', () =>
    rolledBack(async (tx) => {
      await fails(tx, (sp) => sp`update departments set head_id = gen_random_uuid() where organization_id = ${A_ORG}`, /departments_head_id_fkey/);
      const [d] = await tx`insert into departments (organization_id, workspace_id, name) values (${A_ORG}, ${A_MAIN}, 'QA') returning id`;
      const [e] = await tx`insert into employees (user_id, organization_id, workspace_id, department_id)
                           values ('e0000000-0000-4000-8000-000000000006', ${A_ORG}, ${A_MAIN}, ${d!.id}) returning id`;
      await tx`update departments set head_id = ${e!.id} where id = ${d!.id}`;
      await fails(tx, (sp) => sp`delete from employees where id = ${e!.id}`, /departments_head_id_fkey/);
      await fails(tx, (sp) => sp`delete from departments where id = ${d!.id}`, /employees_department_id_fkey/);
      await tx`update departments set head_id = null where id = ${d!.id}`;
      await tx`delete from employees where id = ${e!.id}`;
      await tx`delete from departments where id = ${d!.id}`;
    }));

  it('keeps supplier and project stubs tenant-owned (organization_id NOT NULL)', () =>
    rolledBack(async (tx) => {
      await fails(tx, (sp) => sp`insert into suppliers (name) values ('Nobody''s supplier')`, /null value in column "organization_id" of relation "suppliers"/);
      await fails(tx, (sp) => sp`insert into projects (name) values ('Nobody''s project')`, /null value in column "organization_id" of relation "projects"/);
    }));

  it('allows one platform app_setting per key (NULLS NOT DISTINCT); other organizations keep their own', () =>
    rolledBack(async (tx) => {
      await fails(tx, (sp) => sp`insert into app_settings (key, value) values ('default.currency', '"USD"')`, /uk_settings_key_scope/);
      await fails(tx, (sp) => sp`insert into app_settings (organization_id, key, value) values (${A_ORG}, 'invoice.prefix', '"X-"')`, /uk_settings_key_scope/);
      await tx`insert into app_settings (organization_id, workspace_id, key, value) values (${A_ORG}, ${A_MAIN}, 'invoice.prefix', '"MAIN-"')`;
    }));

  it('keeps invoice_number UNIQUE for good: a soft-deleted invoice still holds its number', () =>
    rolledBack(async (tx) => {
      await tx`update invoices set deleted_at = (now() at time zone 'UTC') where invoice_number = 'QM-INV-0001'`;
      await fails(tx, (sp) => sp`insert into invoices (organization_id, workspace_id, invoice_number, due_date, created_by)
                                   values (${A_ORG}, ${A_MAIN}, 'QM-INV-0001', date '2025-05-01', ${A_OWNER})`, /invoices_invoice_number_key/);
    }));

  it('prevent_product_deletion blocks deleting a product on any tenant\'s lines; an unused product deletes', () =>
    rolledBack(async (tx) => {
      await fails(tx, (sp) => sp`delete from products where id = ${A_BOLT}`, /Cannot delete product that is referenced in deals, orders, or invoices/);
      const [p] = await tx`insert into products (organization_id, workspace_id, code, name) values (${A_ORG}, ${A_MAIN}, 'TMP', 'Unused') returning id`;
      const deleted = await tx`delete from products where id = ${p!.id} returning id`;
      expect(deleted).toHaveLength(1);
    }));

  it('validate_deal_probability caps the probability by stage', () =>
    rolledBack(async (tx) => {
      const [won] = await tx`update deals set stage = 'WON', probability = 10 where id = ${A_DEAL} returning probability`;
      const [lead] = await tx`update deals set stage = 'LEAD', probability = 90 where id = ${A_DEAL} returning probability`;
      expect([won!.probability, lead!.probability]).toEqual([100, 20]);
    }));

  it('daily_sales_summary counts delivered orders (no invalid completed) and refreshes concurrently', () =>
    rolledBack(async (tx) => {
      const [def] = await tx`select pg_get_viewdef('daily_sales_summary'::regclass) as text`;
      expect(def!.text).not.toContain('completed');
      const day = async () => (await tx`select order_count, total_revenue from daily_sales_summary where sale_date = date '2025-03-14'`)[0];
      expect(await day()).toBeUndefined();
      await tx`update orders set status = 'delivered' where order_number = 'SP-SO-0002'`;
      await tx`refresh materialized view concurrently daily_sales_summary`;
      expect(await day()).toEqual({ order_count: '1', total_revenue: '162400.00' });
    }));

  it('encrypts and decrypts with pgcrypto; the definer functions pin their search_path', () =>
    rolledBack(async (tx) => {
      await tx`select set_config('app.encryption_key', 'test-key', true)`;
      const [r] = await tx`select decrypt_sensitive_data(encrypt_sensitive_data('850101300123')) as plain`;
      expect(r!.plain).toBe('850101300123');
      const config = await tx`select proname, proconfig from pg_proc where prosecdef order by 1`;
      expect(config.map((c) => [c.proname, String(c.proconfig).startsWith('search_path=')])).toEqual([
        ['decrypt_sensitive_data', true],
        ['encrypt_sensitive_data', true],
      ]);
    }));

  it('tenantctl maintain recognises the monthly partitions (recreating a missing month ahead) and refreshes the matview concurrently', async () => {
    const [last] = await db.sql`select 'audit_logs_p' || to_char(date_trunc('month', now() at time zone 'UTC') + interval '3 months', 'YYYY_MM') as name`;
    await db.sql`drop table ${db.sql(last!.name as string)}`;
    const run = await runCli(['maintain', '--only', 'partitions,matviews', '--json'], { url: db.url });
    expect(run.code, run.stderr).toBe(0);
    const [partitions, matviews] = JSON.parse(run.stdout).tasks;
    expect(partitions.summary).toMatchObject({ tables: 1, created: 1, defaultRows: 0 });
    expect(partitions.items[0].created).toEqual([last!.name]);
    expect(matviews.items).toEqual([expect.objectContaining({ view: 'public.daily_sales_summary', refreshed: 'concurrently' })]);
  });
});
