import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/connect.js';
import { applyErase } from '../../src/pooled/apply.js';
import { classify } from '../../src/pooled/classify.js';
import { planErase } from '../../src/pooled/plan.js';
import { postScan } from '../../src/pooled/post-scan.js';
import { IMSOP_DECLARATIONS as IMSOP } from '../../src/pooled/profiles/imsop.js';
import { CROSSING_SQL, ORGS } from '../profiles/imsop-dataset.js';
import { loadSqlFile, migrateProfileUp, profileMigrations } from '../profiles/load-profile-sql.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

const row = (table: number, on: string) => `${table.toString(16).padStart(8, '0')}-0000-4000-8000-0000000000${on}`;
const T = { inventory: 10, purchase_order_items: 13, purchase_orders: 12 };

/**
 * A pooled table found in the catalog whose name (and a column's) holds a dot: postgres.js's
 * sql(name) made "notes.v2" the qualified name notes.v2, so planning, erasing and the
 * post-scan failed with "cross-database references are not implemented".
 */
describe('pooled erasure (IMSOP) of a table "notes.v2" with a tenant column and a column "body.text"', () => {
  let db: TestDatabase;
  let sql: Sql;
  beforeAll(async () => {
    db = await createTestDatabase('pooled_dotted');
    sql = db.sql;
    await migrateProfileUp(sql, await profileMigrations('imsop'));
    await loadSqlFile(sql, CROSSING_SQL);
    // The crossing dataset's rows that refuse A's erasure, resolved as imsop-erase does.
    await sql`delete from inventory_transactions where inventory_id in (${row(T.inventory, 'b9')}, ${row(T.inventory, 'c9')})`;
    await sql`delete from inventory where id in (${row(T.inventory, 'b9')}, ${row(T.inventory, 'c9')})`;
    await sql`delete from purchase_order_items where id in (${row(T.purchase_order_items, 'b9')}, ${row(T.purchase_order_items, 'c9')}) or purchase_order_id = ${row(T.purchase_orders, 'b9')}`;
    await sql`delete from purchase_orders where id = ${row(T.purchase_orders, 'b9')}`;
    await sql.unsafe(`
      create table "notes.v2" (id serial primary key, organization_id uuid not null references organizations (id), "body.text" text);
      insert into "notes.v2" (organization_id, "body.text") values ('${ORGS.A}', 'a1'), ('${ORGS.A}', 'a2'), ('${ORGS.B}', 'b1');
    `);
  });
  afterAll(async () => db?.drop());

  it('plans, erases and scans it: the tenant\'s rows go, the others stay', async () => {
    const cls = await classify(sql, IMSOP);
    expect(cls.tables.find((t) => t.table === 'notes.v2')?.class).toBe('direct');
    const plan = await planErase(sql, IMSOP, cls, ORGS.A);
    expect(JSON.stringify(plan)).toContain('notes.v2');
    expect(plan.blocked).toBe(false);
    const result = await sql.begin((tx) => applyErase(tx as unknown as Sql, plan));
    expect(result.counts.deleted).toMatchObject({ 'notes.v2': 2 });
    expect((await postScan(sql, IMSOP, cls, ORGS.A, result.erasedValues)).found.filter((f) => f.table === 'notes.v2')).toEqual([]);
    expect(await sql`select organization_id::text as o, "body.text" as b from "notes.v2"`).toEqual([{ o: ORGS.B, b: 'b1' }]);
  });
});
