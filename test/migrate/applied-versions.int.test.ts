import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query, sqlText } from '../../src/db/queries.js';
import { ensureBookkeeping } from '../../src/migrate/state.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, freshPool, type TestDatabase } from '../support/db.js';

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

/** Rows the plan took out of schema_migrations, kept or filtered away. */
function rowsRead(node: PlanNode): number {
  const own = node['Relation Name'] === 'schema_migrations' ? (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0)) * node['Actual Loops'] : 0;
  return own + (node.Plans ?? []).reduce((sum, child) => sum + rowsRead(child), 0);
}

async function appliedVersions(db: TestDatabase, scope: string): Promise<string[]> {
  const [row] = await query<{ versions: string[] }>(db.sql, 'migrate/applied-versions', [scope]);
  return row!.versions;
}

// The versions a tenant create compares with its checkout come from a skip scan over an index
// of the bookkeeping (one probe per distinct version): it must still see every version.
describe('the versions applied anywhere in the fleet', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    const sql = await freshPool(db);
    await ensureBookkeeping(sql);
    await sql.end();
    // Schemas at different versions, one with a version nobody else has, and the shared scope apart.
    await db.sql`
      insert into tenantctl.schema_migrations (schema_name, scope, version, name, checksum, duration_ms)
      select s, 'tenant', v, 'm' || v, 'c', 1
      from unnest(array['tenant_a', 'tenant_b', 'tenant_c']) s, unnest(array['0001', '0002']) v
      union all select 'tenant_c', 'tenant', '0007', 'm0007', 'c', 1
      union all select 'tenant_d', 'tenant', '0001', 'm0001', 'c', 1
      union all select 'public', 'shared', '0005', 'm0005', 'c', 1`;
  });
  afterAll(async () => db.drop());

  it('lists each version of the scope once, in order, however few schemas have it', async () => {
    expect(await appliedVersions(db, 'tenant')).toEqual(['0001', '0002', '0007']);
    expect(await appliedVersions(db, 'shared')).toEqual(['0005']);
  });

  it('is empty for a scope nothing was applied to', async () => {
    await db.sql`delete from tenantctl.schema_migrations where scope = 'shared'`;
    expect(await appliedVersions(db, 'shared')).toEqual([]);
  });

  it('reads one index entry per version, not the rows of every tenant', async () => {
    await db.sql`
      insert into tenantctl.schema_migrations (schema_name, scope, version, name, checksum, duration_ms)
      select 'bulk_' || i, 'tenant', v, 'm' || v, 'c', 1 from generate_series(1, 2000) i, unnest(array['0001', '0002']) v`;
    try {
      await db.sql`analyze tenantctl.schema_migrations`;
      const [row] = (await db.sql.unsafe(`explain (analyze, costs off, timing off, summary off, format json) ${sqlText('migrate/applied-versions')}`, ['tenant'])) as unknown as { 'QUERY PLAN': { Plan: PlanNode }[] }[];
      expect(rowsRead(row!['QUERY PLAN'][0]!.Plan)).toBeLessThan(10);
      expect(await appliedVersions(db, 'tenant')).toEqual(['0001', '0002', '0007']);
    } finally {
      await db.sql`delete from tenantctl.schema_migrations where schema_name like 'bulk%'`;
    }
  });

  it('a database bootstrapped before the index existed gets it on the next run, its records kept', async () => {
    await db.sql`drop index tenantctl.schema_migrations_scope_version`;
    const r = await runCli(['migrate', 'status', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    const [{ present }] = await db.sql`select to_regclass('tenantctl.schema_migrations_scope_version') is not null as present`;
    expect(present).toBe(true);
    const [{ n }] = await db.sql`select count(*)::int as n from tenantctl.schema_migrations`;
    expect(n).toBe(8);
  });
});
