import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, type TestDatabase } from '../support/db.js';

/** Table names of every CREATE TABLE in a migration file, unqualified. */
async function seedTables(scope: 'shared' | 'tenant'): Promise<string[]> {
  const text = await readFile(`${PACKAGE_ROOT}migrations/${scope}/0001_platform.sql`, 'utf8');
  return [...text.matchAll(/create table (?:public\.)?(\w+)/gi)].map((m) => m[1]!.toLowerCase()).sort();
}

/** Tables of a schema, partitions left out (a partitioned table counts once). */
async function tablesIn(db: TestDatabase, schema: string): Promise<string[]> {
  const rows = await db.sql`
    select c.relname as tablename from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relkind in ('r', 'p') and not c.relispartition order by 1`;
  return rows.map((r) => r.tablename as string);
}

describe('migrate up on a fresh database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('creates every seed table in public and in each tenant schema, then reports everyone at latest', async () => {
    const first = await runCli(['migrate', 'up', '--shared-only', '--json'], { url: db.url });
    expect(first.code, first.stderr).toBe(0);
    expect(await tablesIn(db, 'public')).toEqual(await seedTables('shared'));

    await addTenantRow(db.sql, 'acme');
    await addTenantRow(db.sql, 'globex');
    const second = await runCli(['migrate', 'up', '--json'], { url: db.url });
    expect(second.code, second.stderr).toBe(0);
    const report = JSON.parse(second.stdout);
    expect(report.summary).toMatchObject({ tenants: 2, applied: 2, failed: 0 });
    const tenantTables = await seedTables('tenant');
    expect(tenantTables.length).toBeGreaterThan(30);
    expect(await tablesIn(db, 'tenant_acme')).toEqual(tenantTables);
    expect(await tablesIn(db, 'tenant_globex')).toEqual(tenantTables);
    const [{ roles }] = await db.sql`select count(*)::int as roles from tenant_acme.roles where is_system`;
    expect(roles).toBe(5);

    const status = await runCli(['migrate', 'status', '--json'], { url: db.url });
    expect(status.code, status.stderr).toBe(0);
    const s = JSON.parse(status.stdout);
    expect(s.upToDate).toBe(true);
    expect(s.shared.pending).toEqual([]);
    expect(s.shared.version).toBe(s.latest.shared);
    expect(s.tenants).toMatchObject({ total: 2, atLatest: 2, behind: [], failed: [] });
  });
});
