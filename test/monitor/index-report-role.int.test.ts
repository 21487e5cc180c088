import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareSession } from '../../src/monitor/session.js';
import { dropOwnerRoleAndDatabase, handOverToRole } from '../backup/helpers.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, freshPool, type TestDatabase } from '../support/db.js';

/**
 * `monitor indexes` asks pg_stat_have_stats which indexes have statistics (src/sql/monitor/indexes.sql),
 * and only superusers may call it unless granted: PUBLIC may not, where every other statistics
 * function is everyone's. A monitoring role that is no superuser (here the database's owner) must
 * get the same report, read the slower way, and the faster way once granted.
 */
describe('monitor indexes as a role that may not call pg_stat_have_stats', () => {
  let db: TestDatabase;
  const role = `idx_owner_${randomBytes(3).toString('hex')}`;
  let url: string;
  beforeAll(async () => {
    db = await createTestDatabase('idx_role');
    await db.sql`create schema idx_role`;
    await db.sql`create table idx_role.t (a int primary key, b int)`;
    await db.sql`insert into idx_role.t select g, g from generate_series(1, 2000) g`;
    await db.sql`create index t_b on idx_role.t (b)`;
    url = await handOverToRole(db, role, 'pw', false);
  });
  afterAll(async () => dropOwnerRoleAndDatabase(db, role));

  const callable = async (): Promise<boolean> => {
    const asRole = await freshPool({ url });
    try {
      return await asRole.begin(async (tx) => (await prepareSession(tx)).haveStatsCallable);
    } finally {
      await asRole.end();
    }
  };
  const unused = async (): Promise<string[]> => {
    const r = await runCli(['monitor', 'indexes', '--schema', 'idx_role', '--json'], { url });
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { findings: { kind: string; index: string }[] };
    return report.findings.filter((f) => f.kind === 'unused').map((f) => f.index);
  };

  it('reports the unused index without the function, and with it once granted (PostgreSQL 15+)', async () => {
    expect(await callable()).toBe(false);
    expect(await unused()).toEqual(['t_b']);
    const [{ signature }] = await db.sql<{ signature: string | null }[]>`select to_regprocedure('pg_catalog.pg_stat_have_stats(text, oid, oid)')::text as signature`;
    if (signature === null) return; // PostgreSQL 14: no such function, nothing to grant
    await db.sql.unsafe(`grant execute on function ${signature} to "${role}"`);
    expect(await callable()).toBe(true);
    expect(await unused()).toEqual(['t_b']);
  });
});
