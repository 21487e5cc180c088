import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, query } from '../../src/db/queries.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { loadSqlFile } from '../profiles/load-profile-sql.js';

/**
 * Pooled sizes from the catalog (src/sql/pooled/table-sizes.sql), on Prometric, whose
 * audit_logs is partitioned by month: its rows and pages are in the partitions, so a size read
 * from the parent alone is 0. `tenant list` shares the tables out from statistics as `monitor
 * tenant-sizes` does, opening no table: it answers while a migration holds a table.
 */
const QAZAQ = '210140012345';
const QAZAQ_ID = 'a0000000-0000-4000-8000-000000000000';

describe('pooled sizes of a partitioned table, and tenant list without opening tables (prometric)', () => {
  let db: TestDatabase;
  const cli = (args: string[]) => runCli(['--profile', 'prometric', ...args], { url: db.url });
  beforeAll(async () => {
    db = await createTestDatabase('pooledparts');
    const up = await cli(['migrate', 'up']);
    expect(up.code, up.stderr).toBe(0);
    await loadSqlFile(db.sql, `${PACKAGE_ROOT}test/profiles/data/prometric-crossing.sql`);
    // Qazaq Metall's audit trail outweighs every other table of every organization.
    await db.sql`insert into audit_logs (organization_id, entity_type, entity_id, action, new_values, timestamp)
      select ${QAZAQ_ID}::uuid, 'orders', gen_random_uuid(), 'UPDATE', jsonb_build_object('note', repeat('x', 200)), '2025-01-10'::timestamptz + g * interval '1 second'
      from generate_series(1, 5000) g`;
    await db.sql`analyze`;
  });
  afterAll(async () => db?.drop());

  it('counts a partitioned table with its partitions: audit_logs is the largest table of the organization that fills it', async () => {
    const sizes = await cli(['monitor', 'tenant-sizes', '--json']);
    expect(sizes.code, sizes.stderr).toBe(0);
    const qazaq = JSON.parse(sizes.stdout).rows.find((r: { tenant: string }) => r.tenant === QAZAQ);
    expect(qazaq.largestTable).toBe('audit_logs');
    const [{ bytes }] = await db.sql`select sum(pg_total_relation_size(i.inhrelid))::float8 as bytes from pg_inherits i where i.inhparent = 'audit_logs'::regclass`;
    // The table's bytes shared out by rows: Qazaq holds nearly all of them.
    expect(qazaq.largestBytes).toBeGreaterThan(bytes * 0.9);
    const show = await cli(['tenant', 'show', QAZAQ, '--json']);
    expect(show.code, show.stderr).toBe(0);
    const audit = JSON.parse(show.stdout).tables.find((t: { table: string }) => t.table === 'audit_logs');
    expect(audit.rows).toBe(5003);
    expect(audit.bytes).toBeGreaterThan(bytes * 0.9);
  });

  it('tenant list gives the statistics estimate of monitor tenant-sizes, and answers while a migration holds a partition', async () => {
    const sizes = JSON.parse((await cli(['monitor', 'tenant-sizes', '--json'])).stdout).rows as { tenant: string; totalBytes: number }[];
    const listed = async () => {
      const r = await cli(['tenant', 'list', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const parsed = JSON.parse(r.stdout);
      return (Array.isArray(parsed) ? parsed : parsed.tenants) as { slug: string; sizeBytes: number }[];
    };
    const before = await listed();
    expect(Object.fromEntries(before.map((t) => [t.slug, t.sizeBytes]))).toEqual(Object.fromEntries(sizes.map((s) => [s.tenant, s.totalBytes])));
    const holder = await db.sql.reserve();
    try {
      await holder`begin`;
      await holder`lock table audit_logs_y2025m01 in access exclusive mode`;
      expect(await listed()).toEqual(before);
    } finally {
      await holder`rollback`;
      holder.release();
    }
  });
});

describe('tenant list --exact-sizes on tables never analyzed (prometric)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('pooledexact');
    const up = await runCli(['--profile', 'prometric', 'migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    // Loaded, never vacuumed or analyzed (the test server runs no autovacuum): the planner's row counts are 0.
    await loadSqlFile(db.sql, `${PACKAGE_ROOT}test/profiles/data/prometric-crossing.sql`);
  });
  afterAll(async () => db?.drop());

  it('shares each table out by its rows: the tenants together never hold more than the tables', async () => {
    const r = await runCli(['--profile', 'prometric', 'tenant', 'list', '--exact-sizes', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    const parsed = JSON.parse(r.stdout);
    const tenants = (Array.isArray(parsed) ? parsed : parsed.tenants) as { slug: string; sizeBytes: number }[];
    expect(tenants.length).toBeGreaterThan(1);
    // The tables' bytes as the sizes read them (the catalog's pages, partitions with their table).
    const tables = await query<{ bytes: string }>(db.sql, 'pooled/table-sizes', ['public']);
    const bytes = tables.reduce((n, t) => n + Number(t.bytes), 0);
    const listed = tenants.reduce((n, t) => n + t.sizeBytes, 0);
    expect(listed).toBeGreaterThan(0);
    expect(listed).toBeLessThanOrEqual(bytes + tenants.length);
  });
});
