import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { Sql } from '../../src/db/connect.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { CROSSING_SQL, ORGS, OWNER } from './imsop-dataset.js';
import { loadSqlFile, migrateProfileUp, profileMigrations } from './load-profile-sql.js';

/**
 * Row-level security of migrations/imsop/0002 (POOLED.md §1 "Retention, RLS" and §4), seen
 * by an application role: no superuser, no BYPASSRLS, not the owner.
 */
describe('IMSOP row-level security', () => {
  let db: TestDatabase;
  let sql: Sql;
  const app = `imsop_app_${randomBytes(4).toString('hex')}`;
  const tenantTables = Object.keys(OWNER);

  beforeAll(async () => {
    db = await createTestDatabase('imsoprls');
    sql = db.sql;
    await migrateProfileUp(sql, await profileMigrations('imsop'));
    await loadSqlFile(sql, CROSSING_SQL);
    await sql`create role ${sql(app)} nologin`;
    await sql`grant usage on schema public to ${sql(app)}`;
    await sql`grant select, insert, update, delete on all tables in schema public to ${sql(app)}`;
  });
  afterAll(async () => {
    await sql`drop owned by ${sql(app)}`;
    await sql`drop role ${sql(app)}`;
    await db.drop();
  });

  /** One transaction as the application role, scoped the pool-safe way (transaction-local). */
  async function asApp<T>(organization: string | null, fn: (tx: Sql) => Promise<T>): Promise<T> {
    let result: T;
    const rollback = new Error('rollback');
    await sql.begin(async (tx) => {
      const t = tx as unknown as Sql;
      await t`select set_config('role', ${app}, true)`;
      if (organization !== null) await t`select set_config('app.current_organization_id', ${organization}, true)`;
      result = await fn(t);
      throw rollback; // every probe leaves the data as loaded
    }).catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
    return result!;
  }

  const ids = async (s: Sql, table: string) => (await s.unsafe<{ id: string }[]>(`select id::text as id from ${table} order by id`)).map((r) => r.id);

  it('enables RLS (not FORCE) with a policy on the registry and every tenant table, and none on the global permissions', async () => {
    const rows = await sql<{ table: string; enabled: boolean; forced: boolean; policies: number }[]>`
      select c.relname::text as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
             (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
      from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' order by 1`;
    const expected = (table: string) => table === 'permissions'
      ? { table, enabled: false, forced: false, policies: 0 }
      : { table, enabled: true, forced: false, policies: 1 };
    expect(rows).toEqual(rows.map((r) => expected(r.table)));
    expect(rows.map((r) => r.table).sort()).toEqual([...tenantTables, 'organizations', 'permissions'].sort());
  });

  it('shows no tenant rows, without an error, when the setting is empty (as after a transaction-local set ended)', async () => {
    const seen = await asApp('', async (tx) => {
      const counts: Record<string, number> = {};
      for (const table of [...tenantTables, 'organizations']) counts[table] = (await ids(tx, table)).length;
      return { counts, permissions: (await ids(tx, 'permissions')).length };
    });
    expect(Object.values(seen.counts).every((n) => n === 0), JSON.stringify(seen.counts)).toBe(true);
    expect(seen.permissions).toBe(40);
  });

  it('fails loudly, not silently empty, on a setting that is not a uuid', async () => {
    await expect(asApp('acme', (tx) => ids(tx, 'products'))).rejects.toThrow(/invalid input syntax for type uuid/);
  });

  // Two-parent rows whose parents lie in two organizations (imsop-crossing.md): visible to
  // neither, because every parent must match. inventory_transactions b7 hangs on inventory b9.
  const MIXED = new Set([
    'user_roles a9', 'user_roles b9', 'user_roles c9', 'inventory a9', 'inventory b9', 'inventory c9',
    'purchase_order_items a9', 'purchase_order_items b9', 'purchase_order_items c9', 'inventory_transactions b7',
  ]);

  for (const [letter, org] of Object.entries(ORGS)) {
    it(`scopes organization ${letter} to exactly its own rows in every tenant table, less the mixed two-parent rows`, async () => {
      const visible = await asApp(org, async (tx) => {
        const seen: Record<string, string[]> = {};
        for (const table of [...tenantTables, 'organizations']) seen[table] = await ids(tx, table);
        return seen;
      });
      expect(visible.organizations).toEqual([org]);
      for (const table of tenantTables) {
        const owned = (await sql.unsafe<{ id: string }[]>(`select id::text as id from ${table} t where ${OWNER[table]!('t')} = $1 order by id`, [org])).map((r) => r.id);
        const expected = owned.filter((id) => !MIXED.has(`${table} ${id.slice(-2)}`));
        expect(visible[table], `${table} as ${letter}`).toEqual(expected);
        expect(owned.length, `${table} of ${letter} has rows`).toBeGreaterThan(0);
      }
    });
  }

  it('rejects writing a row into another organization, directly and through a parent', async () => {
    await expect(asApp(ORGS.A, (tx) => tx`insert into products (organization_id, sku, name) values (${ORGS.B}, 'X-1', 'Smuggled')`))
      .rejects.toThrow(/new row violates row-level security policy for table "products"/);
    await expect(asApp(ORGS.A, (tx) => tx`update products set organization_id = ${ORGS.B} where id = '00000008-0000-4000-8000-0000000000a1'`))
      .rejects.toThrow(/new row violates row-level security policy for table "products"/);
    // A's warehouse with B's product: one parent is not A's.
    await expect(asApp(ORGS.A, (tx) => tx`insert into inventory (warehouse_id, product_id) values ('00000009-0000-4000-8000-0000000000a1', '00000008-0000-4000-8000-0000000000b1')`))
      .rejects.toThrow(/new row violates row-level security policy for table "inventory"/);
  });

  it('lets an organization write its own rows, and never touches another organization\'s rows', async () => {
    const result = await asApp(ORGS.A, async (tx) => {
      const inserted = await tx`insert into inventory (warehouse_id, product_id, quantity_on_hand) values ('00000009-0000-4000-8000-0000000000a2', '00000008-0000-4000-8000-0000000000a1', 7) returning quantity_available`;
      const updatedOthers = await tx`update products set name = 'renamed' where organization_id = ${ORGS.B}`;
      const deletedOthers = await tx`delete from analytics_metrics where organization_id <> ${ORGS.A}`;
      return { available: inserted[0]!.quantity_available, updatedOthers: updatedOthers.count, deletedOthers: deletedOthers.count };
    });
    expect(result).toEqual({ available: 7, updatedOthers: 0, deletedOthers: 0 });
  });
});
