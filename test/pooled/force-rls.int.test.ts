import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { Sql } from '../../src/db/connect.js';
import { applyErase } from '../../src/pooled/apply.js';
import { classify, type Classification } from '../../src/pooled/classify.js';
import { planErase } from '../../src/pooled/plan.js';
import { postScan } from '../../src/pooled/post-scan.js';
import { IMSOP_DECLARATIONS as IMSOP } from '../../src/pooled/profiles/imsop.js';
import { CROSSING_SQL, ORGS } from '../profiles/imsop-dataset.js';
import { loadSqlFile, migrateProfileUp, profileMigrations } from '../profiles/load-profile-sql.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { checksums } from './synthetic.js';

/**
 * POOLED.md §4.3: under FORCE ROW LEVEL SECURITY the table owner is filtered too, so a naive
 * erasure deletes 0 rows and "certifies" it. The engine runs with row_security = off: the
 * same role gets an error that names the role attribute it needs, and nothing changes.
 */
describe('pooled erasure under FORCE ROW LEVEL SECURITY as a non-bypass owner', () => {
  let db: TestDatabase;
  let sql: Sql;
  let cls: Classification;
  const owner = `imsop_owner_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = await createTestDatabase('pooled_force');
    sql = db.sql;
    await migrateProfileUp(sql, await profileMigrations('imsop'));
    await loadSqlFile(sql, CROSSING_SQL);
    await sql`create role ${sql(owner)} nologin nosuperuser nobypassrls`;
    const tables = await sql<{ t: string }[]>`select relname as t from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'`;
    for (const { t } of tables) {
      await sql`alter table ${sql(t)} owner to ${sql(owner)}`;
      await sql`alter table ${sql(t)} force row level security`;
    }
    cls = await classify(sql, IMSOP);
  });
  afterAll(async () => {
    // Roles are cluster-wide: give the tables back and drop the role before the database.
    await sql`reassign owned by ${sql(owner)} to current_user`;
    await sql`drop owned by ${sql(owner)}`;
    await sql`drop role ${sql(owner)}`;
    await db.drop();
  });

  /** Run fn as the non-bypass owner in a transaction that is always rolled back. */
  async function asOwner<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const rollback = new Error('rollback');
    let result!: T;
    await sql.begin(async (tx) => {
      await tx`select set_config('role', ${owner}, true)`;
      result = await fn(tx as unknown as Sql);
      throw rollback;
    }).catch((e) => { if (e !== rollback) throw e; });
    return result;
  }

  it('a naive delete as that owner removes nothing and reports no error (the trap)', async () => {
    const deleted = await asOwner(async (tx) => (await tx`delete from analytics_metrics where organization_id = ${ORGS.C}`).count);
    expect(deleted).toBe(0);
    const [n] = await sql`select count(*)::int as n from analytics_metrics where organization_id = ${ORGS.C}`;
    expect(n!.n).toBeGreaterThan(0);
  });

  it('planning and applying as that owner fail loudly, name BYPASSRLS, and change nothing', async () => {
    await expect(asOwner((tx) => planErase(tx, IMSOP, cls, ORGS.C))).rejects.toMatchObject({ code: 'RLS_BLOCKS', hint: expect.stringContaining('BYPASSRLS') });
    const plan = await planErase(sql, IMSOP, cls, ORGS.C);
    expect(plan.blocked).toBe(false);
    const before = await checksums(sql, 'public');
    await expect(sql.begin(async (tx) => {
      await tx`select set_config('role', ${owner}, true)`;
      return applyErase(tx as unknown as Sql, plan);
    })).rejects.toMatchObject({ code: 'RLS_BLOCKS', message: expect.stringContaining('would hide rows') });
    expect(await checksums(sql, 'public')).toEqual(before);
    await expect(asOwner((tx) => postScan(tx, IMSOP, cls, ORGS.C))).rejects.toMatchObject({ code: 'RLS_BLOCKS' });
  });

  it('with BYPASSRLS the same owner erases completely', async () => {
    await sql`alter role ${sql(owner)} bypassrls`;
    const plan = await planErase(sql, IMSOP, cls, ORGS.C);
    const result = await sql.begin(async (tx) => {
      await tx`select set_config('role', ${owner}, true)`;
      return applyErase(tx as unknown as Sql, plan);
    });
    expect(result.counts.deleted.organizations).toBe(1);
    expect(Object.values(result.counts.deleted).reduce((a, b) => a + b, 0)).toBe(plan.totals.rows);
    expect((await postScan(sql, IMSOP, cls, ORGS.C, result.erasedValues)).clean).toBe(true);
  });
});
