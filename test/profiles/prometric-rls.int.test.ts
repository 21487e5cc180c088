import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { catalogColumns } from './catalog.js';
import { loadSqlFile, migrateProfileUp, profileMigrations } from './load-profile-sql.js';

/**
 * Row-level security of migrations/prometric as the application sees it: a role without
 * BYPASSRLS, the tenant in the transaction-local setting app.current_organization_id.
 * (The test's own connection is a superuser, which RLS never filters.)
 */

type Tx = postgres.TransactionSql<Record<string, never>>;
const CROSSING = join(PACKAGE_ROOT, 'test', 'profiles', 'data', 'prometric-crossing.sql');
const ORG = { A: 'a0000000-0000-4000-8000-000000000000', B: 'b0000000-0000-4000-8000-000000000000', C: 'c0000000-0000-4000-8000-000000000000' };
const B_MAIN = 'b0100000-0000-4000-8000-000000000001';
const B_EXPORT = 'b0100000-0000-4000-8000-000000000002';
const A_BOLT = 'a0500000-0000-4000-8000-000000000001';

describe('prometric row-level security', () => {
  let db: TestDatabase;
  const role = `prometric_app_${randomBytes(4).toString('hex')}`;
  let tables: string[];
  const ROLLBACK = new Error('rollback');

  /** Run `work` as the application role with the given tenant settings, then roll back. */
  const asApp = async (settings: Record<string, string>, work: (tx: Tx) => Promise<void>): Promise<void> => {
    await db.sql.begin(async (tx) => {
      await tx`select set_config('role', ${role}, true)`;
      for (const [name, value] of Object.entries(settings)) await tx`select set_config(${name}, ${value}, true)`;
      await work(tx);
      throw ROLLBACK;
    }).catch((error: unknown) => {
      if (error !== ROLLBACK) throw error;
    });
  };
  const tenant = (org: string, workspace?: string) => ({ 'app.current_organization_id': org, ...(workspace ? { 'app.current_workspace_id': workspace } : {}) });
  const count = async (tx: Tx, table: string, where = tx`true`) => Number((await tx`select count(*) as n from ${tx(table)} where ${where}`)[0]!.n);

  beforeAll(async () => {
    db = await createTestDatabase('prometric_rls');
    await migrateProfileUp(db.sql, await profileMigrations('prometric'));
    await loadSqlFile(db.sql, CROSSING);
    await db.sql.unsafe(`create role ${role} nologin;
      grant usage on schema public to ${role};
      grant select, insert, update, delete on all tables in schema public to ${role};
      grant usage on all sequences in schema public to ${role};`);
    tables = (await db.sql`select relname as name from pg_class where relnamespace = current_schema()::regnamespace and relkind in ('r', 'p') and not relispartition order by 1`).map((r) => r.name as string);
  });
  afterAll(async () => {
    await db?.sql.unsafe(`drop owned by ${role}; drop role ${role}`);
    await db?.drop();
  });

  it('enables RLS on every table and partition, forces it on none; every table but email_verifications has a policy', async () => {
    const rows = await db.sql`
      select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced, c.relispartition as partition,
             (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
      from pg_class c where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p')`;
    expect(rows.filter((r) => !r.enabled || r.forced).map((r) => r.name)).toEqual([]);
    expect(rows.filter((r) => !r.partition && r.policies === 0).map((r) => r.name)).toEqual(['email_verifications']);
    expect(rows.filter((r) => r.partition && r.policies > 0)).toEqual([]);
  });

  it('shows no rows (platform settings aside) and raises no error without a tenant, or with the \'\' a finished local setting leaves', async () => {
    const platformSettings = await db.sql.begin((tx) => count(tx, 'app_settings', tx`organization_id is null and not is_secret`));
    expect(platformSettings).toBe(2);
    const noTenant: Record<string, string>[] = [{}, { 'app.current_organization_id': '', 'app.current_workspace_id': '' }];
    for (const settings of noTenant) {
      await asApp(settings, async (tx) => {
        for (const table of tables) expect(await count(tx, table), table).toBe(table === 'app_settings' ? platformSettings : 0);
      });
    }
  });

  it('shows each organization exactly its own rows in every table with organization_id', async () => {
    const direct = (await catalogColumns(db.sql)).filter((c) => c.column === 'organization_id' && c.table !== 'system_logs').map((c) => c.table);
    for (const org of Object.values(ORG)) {
      const expected: Record<string, number> = {};
      // app_settings adds the platform's rows (organization_id NULL) but its secrets, readable by every tenant.
      await db.sql.begin(async (tx) => {
        for (const table of direct) expected[table] = await count(tx, table, table === 'app_settings' ? tx`organization_id = ${org} or (organization_id is null and not is_secret)` : tx`organization_id = ${org}`);
      });
      await asApp(tenant(org), async (tx) => {
        for (const table of direct) expect(await count(tx, table), `${table} as ${org}`).toBe(expected[table]);
      });
    }
  });

  it('shows child rows through their owner, B\'s line of A\'s product included, and refuses to link another tenant\'s product', async () => {
    await asApp(tenant(ORG.B), async (tx) => {
      const lines = await tx`select id, product_id from order_items order by id`;
      expect(lines.map((l) => l.id)).toEqual(['b1500000-0000-4000-8000-000000000001', 'b1500000-0000-4000-8000-000000000002', 'b1500000-0000-4000-8000-000000000003', 'b1500000-0000-4000-8000-000000000004']);
      expect(await count(tx, 'products', tx`id = ${A_BOLT}`)).toBe(0);
      await expect(tx.savepoint((sp) => sp`insert into order_items (order_id, product_id, product_code, product_name)
        values ('b1400000-0000-4000-8000-000000000001', ${A_BOLT}, 'BOLT-M8', 'Болт M8x40')`)).rejects.toThrow(/new row violates row-level security policy for table "order_items"/);
      const changed = await tx`update customers set notes = 'B was here' where id = 'a0600000-0000-4000-8000-000000000001' returning id`;
      expect(changed).toHaveLength(0);
    });
  });

  it('shows people through employment, soft-deleted employment included; the platform operator to nobody', async () => {
    const people: Record<string, string[]> = {};
    for (const [name, org] of Object.entries(ORG)) {
      await asApp(tenant(org), async (tx) => {
        people[name] = (await tx`select first_name from users order by 1`).map((u) => u.first_name as string);
      });
    }
    expect(people).toEqual({ A: ['Aigerim', 'Nurlan', 'Saule'], B: ['Aigerim', 'Dana', 'Saule'], C: ['Aliya', 'Timur'] });
  });

  it('lets a tenant read platform settings (secrets aside) but never change or add one', async () => {
    await asApp(tenant(ORG.B), async (tx) => {
      expect((await tx`select key, organization_id is null as platform from app_settings order by 1`).map((r) => `${r.key}:${r.platform}`))
        .toEqual(['default.currency:true', 'invoice.prefix:false', 'maintenance.window:true']);
      expect(await tx`update app_settings set value = '"USD"' where organization_id is null returning id`).toHaveLength(0);
      await expect(tx.savepoint((sp) => sp`insert into app_settings (key, value) values ('platform.new', 'true')`)).rejects.toThrow(/row-level security/);
      await expect(tx.savepoint((sp) => sp`insert into app_settings (organization_id, key, value) values (${ORG.A}, 'x', 'true')`)).rejects.toThrow(/row-level security/);
    });
  });

  it('hides system_logs and platform audit rows; audit partitions read directly show nothing', async () => {
    await asApp(tenant(ORG.B), async (tx) => {
      expect(await count(tx, 'system_logs')).toBe(0);
      await tx`insert into system_logs (level, message, organization_id) values ('INFO', 'B wrote this', ${ORG.B})`;
      expect(await count(tx, 'system_logs')).toBe(0);
      expect((await tx`select id from audit_logs order by id`).map((r) => (r.id as string).slice(0, 2))).toEqual(['b2', 'b2', 'b2', 'b2']);
      expect(await count(tx, 'audit_logs_y2025m01')).toBe(0);
      expect(await tx`update audit_logs set reason = 'edited' returning id`).toHaveLength(0);
    });
  });

  it('narrows deals to the session\'s workspace when one is set', async () => {
    await asApp(tenant(ORG.B, B_MAIN), async (tx) => expect(await count(tx, 'deals')).toBe(2));
    await asApp(tenant(ORG.B, B_EXPORT), async (tx) => expect(await count(tx, 'deals')).toBe(0));
  });

  it('runs the views as the caller, so they show only the own organization (PostgreSQL 15+)', async (ctx) => {
    const [{ pg15 }] = await db.sql`select current_setting('server_version_num')::int >= 150000 as pg15`;
    // PostgreSQL 14 has no security_invoker: the views run as their owner there, and 0002 says
    // to grant them to no tenant role.
    if (!pg15) ctx.skip();
    await asApp(tenant(ORG.B), async (tx) => {
      expect((await tx`select name from customer_summary order by 1`).map((r) => r.name)).toEqual(['Astana Pack Trade', 'Gulnara Sarsenova']);
      expect((await tx`select code from inventory_status order by 1`).map((r) => r.code)).toEqual(['BOX-4030', 'CARDBOARD-3']);
      expect(Number((await tx`select sum(deal_count) as n from sales_pipeline`)[0]!.n)).toBe(2);
    });
  });
});
