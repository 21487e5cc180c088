import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { seedTenant } from './helpers.js';

interface Listed { slug: string; plan: string | null; schemaVersion: string | null; schemaExists: boolean; sizeBytes: number; sizeExact: boolean }

describe('tenant list: pages, filters in SQL, sizes from statistics or exact', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('list');
    await migrateAll(db.sql);
    for (const slug of ['echo', 'alpha', 'delta', 'bravo']) await seedTenant(db.sql, slug, 40);
    // Registered, schema never created: listed, with no size and NO SCHEMA.
    await addTenantRow(db.sql, 'charlie', false);
    await db.sql`vacuum analyze`;
  });
  afterAll(async () => db?.drop());

  const list = async (...args: string[]): Promise<Listed[]> => {
    const r = await runCli(['tenant', 'list', ...args, '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Listed[];
  };
  const slugs = (rows: Listed[]) => rows.map((r) => r.slug);

  it('lists every tenant in slug order by default, and pages with --limit/--offset', async () => {
    expect(slugs(await list())).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
    expect(slugs(await list('--limit', '2'))).toEqual(['alpha', 'bravo']);
    expect(slugs(await list('--limit', '2', '--offset', '2'))).toEqual(['charlie', 'delta']);
    expect(slugs(await list('--limit', '2', '--offset', '4'))).toEqual(['echo']);
    expect(await list('--offset', '5')).toEqual([]);
  });

  it('applies filters before the page, so a page holds only matching tenants', async () => {
    await db.sql`update public.tenants set status = 'suspended' where slug in ('bravo', 'echo')`;
    try {
      expect(slugs(await list('--status', 'active', '--limit', '2'))).toEqual(['alpha', 'charlie']);
      expect(slugs(await list('--status', 'suspended', '--limit', '1', '--offset', '1'))).toEqual(['echo']);
      expect(slugs(await list('--search', 'ELT', '--limit', '5'))).toEqual(['delta']);
      expect(slugs(await list('--plan', 'starter', '--offset', '1'))).toEqual(['bravo', 'delta', 'echo']);
    } finally {
      await db.sql`update public.tenants set status = 'active'`;
    }
  });

  it('estimates sizes from the statistics, gives exact bytes on request, and shows a missing schema', async () => {
    const estimated = await list('--limit', '3');
    const exact = await list('--limit', '3', '--exact-sizes');
    for (const [i, row] of estimated.entries()) {
      expect(row.sizeExact).toBe(false);
      expect(exact[i]!.sizeExact).toBe(true);
      if (row.slug === 'charlie') {
        expect(row).toMatchObject({ schemaExists: false, schemaVersion: null, sizeBytes: 0 });
        continue;
      }
      expect(row.schemaVersion).not.toBeNull();
      // Main forks only (relpages) against every fork: the estimate is below the exact size, and close.
      expect(row.sizeBytes).toBeGreaterThan(0);
      expect(row.sizeBytes).toBeLessThanOrEqual(exact[i]!.sizeBytes);
      expect(row.sizeBytes).toBeGreaterThan(exact[i]!.sizeBytes / 4);
    }
  });

  it('gives the same sizes from the per-schema lookup (a page) as from one pass over the catalog (a large page) and as monitor tenant-sizes', async () => {
    const { listTenants } = await import('../../src/tenants/read.js');
    const { schemaPerTenant } = await import('../../src/tenancy/strategy.js');
    const small = await listTenants(db.sql, schemaPerTenant, { limit: 5 });
    const [{ schemas }] = (await db.sql`select array_agg(schema_name) as schemas from public.tenants`) as unknown as [{ schemas: string[] }];
    const { query } = await import('../../src/db/queries.js');
    const monitor = await query<{ schema: string; total_bytes: string }>(db.sql, 'monitor/tenant-sizes', [schemas]);
    const pass = await query<{ schema: string; total_bytes: string }>(db.sql, 'monitor/schema-totals', [schemas]);
    expect(pass).toHaveLength(4);
    for (const row of small.filter((r) => r.schemaExists)) {
      expect(row.sizeBytes, row.slug).toBe(Number(pass.find((p) => p.schema === `tenant_${row.slug}`)!.total_bytes));
      expect(row.sizeBytes, row.slug).toBe(Number(monitor.find((p) => p.schema === `tenant_${row.slug}`)!.total_bytes));
    }
  });

  it('rejects a negative offset, and one beyond what the server takes, as usage errors', async () => {
    for (const [flag, value] of [['--offset', '-1'], ['--offset', '99999999999999999999'], ['--limit', '2147483648']]) {
      const r = await runCli(['tenant', 'list', flag!, value!], { url: db.url });
      expect(r.code, `${flag} ${value}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`${flag} must be a whole number from \\d+ to 2147483647 \\(got "${value}"\\)`));
    }
  });

  it('says what an empty list means: nothing matched the filters, the page is past the end, or no tenant at all', async () => {
    const empty = async (...args: string[]) => {
      const r = await runCli(['tenant', 'list', ...args], { url: db.url });
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.trim();
    };
    expect(await empty('--status', 'cancelled')).toBe('(no tenants match --status cancelled)');
    expect(await empty('--search', 'zz', '--plan', 'starter')).toBe('(no tenants match --plan starter --search "zz")');
    expect(await empty('--offset', '5')).toBe('(no tenants after the first 5: --offset is past the end of the list)');
    expect(await empty('--status', 'suspended', '--offset', '9')).toBe('(no tenants match --status suspended after the first 9: --offset is past the end of the list)');
  });

  it('refuses a status the profile does not know and no tenant has (a typo), and lists one of the data\'s own', async () => {
    for (const typo of ['suspend', 'ACTIVE', 'bogus']) {
      const r = await runCli(['tenant', 'list', '--status', typo, '--json'], { url: db.url });
      expect(r.code, typo).toBe(2);
      expect(JSON.parse(r.stdout).error.message).toBe(`--status "${typo}" is not a status of profile commerce, and no tenant has it: the statuses are active, suspended, cancelled.`);
    }
    // A database whose registry has a status of its own (its CHECK widened).
    await db.sql`alter table public.tenants drop constraint tenants_status_check`;
    await db.sql`update public.tenants set status = 'archived' where slug = 'delta'`;
    try {
      const r = await runCli(['tenant', 'list', '--status', 'archived', '--json'], { url: db.url });
      expect(r.code, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { slug: string }[]).map((t) => t.slug)).toEqual(['delta']);
    } finally {
      await db.sql`update public.tenants set status = 'active' where slug = 'delta'`;
    }
  });
});
