import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.js';
import { CITUS_URL, createCitusDatabase, reportSkipped, tablesOnWorker, type CitusDatabase } from './cluster.js';

const SLUGS = ['north', 'south', 'east'];

if (!CITUS_URL) reportSkipped();
else describe('migrate up into tenant schemas that are already distributed (created empty by hand)', () => {
  let db: CitusDatabase;
  let dir: string;

  beforeAll(async () => {
    db = await createCitusDatabase();
    expect((await runCli(['migrate', 'up', '--shared-only'], { url: db.url })).code).toBe(0);
    await db.sql`insert into public.tenants (name, slug, schema_name) select x, x, 'tenant_' || x from unnest(${SLUGS}::text[]) x`;
    // What a DBA does by hand: the session setting makes each CREATE SCHEMA a distributed schema.
    for (const slug of SLUGS) await db.sql.begin((tx) => [tx`set local citus.enable_schema_based_sharding = on`, tx`create schema ${tx(`tenant_${slug}`)}`]);
    dir = mkdtempSync(join(tmpdir(), 'citus-migrate-'));
    cpSync('migrations', dir, { recursive: true });
  });
  afterAll(async () => {
    await db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('every tenant is migrated, its tables live on its worker, and the bookkeeping says so', async () => {
    const run = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const placed = (await db.sql`select schemaid::regnamespace::text as schema, count(*)::int as tables from pg_dist_schema s join pg_dist_partition p on p.colocationid = s.colocationid group by 1 order by 1`) as unknown as { schema: string; tables: number }[];
    const [{ local }] = (await db.sql`select count(*)::int as local from pg_tables where schemaname = 'tenant_north'`) as unknown as [{ local: number }];
    expect(local).toBeGreaterThan(20);
    expect(placed).toEqual(SLUGS.map((s) => `tenant_${s}`).sort().map((schema) => ({ schema, tables: local })));
    const states = (await db.sql`select schema_name as schema, status from tenantctl.schema_state where scope = 'tenant' order by 1`) as unknown as { schema: string; status: string }[];
    expect(states.map((s) => s.status)).toEqual(['ok', 'ok', 'ok']);
    let shards = 0;
    for (const w of db.workers) {
      const worker = await db.worker(w.address);
      shards += (await tablesOnWorker(worker, 'tenant_north')).filter((n) => /_\d+$/.test(n)).length;
      await worker.end();
    }
    expect(shards).toBe(local);
  });

  test('a later migration with an index runs on the distributed tables; a broken one names its line and keeps nothing', async () => {
    writeFileSync(join(dir, 'tenant', '9001_flag.sql'), '-- migrate:up\nalter table products add column flag boolean;\ncreate index idx_products_flag on products (flag);\n\n-- migrate:down\ndrop index idx_products_flag;\nalter table products drop column flag;\n');
    const ok = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json'], { url: db.url });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    const [{ n }] = (await db.sql`select count(*)::int as n from pg_indexes where indexname = 'idx_products_flag'`) as unknown as [{ n: number }];
    expect(n).toBe(SLUGS.length);

    writeFileSync(join(dir, 'tenant', '9002_broken.sql'), '-- migrate:up\ncreate index idx_products_name2 on products (name);\nalter table products add column flag boolean;\n\n-- migrate:down\ndrop index idx_products_name2;\n');
    // --continue-on-error: every tenant runs the broken file (without it the run stops at the first failure, and how many had started depends on the workers).
    const bad = await runCli(['migrate', 'up', '--migrations-dir', dir, '--json', '--continue-on-error'], { url: db.url });
    expect(bad.code).toBe(1);
    const failures = (JSON.parse(bad.stdout) as { tenants: { error?: { file: string; line: number; message: string } }[] }).tenants.map((r) => r.error);
    expect(failures).toHaveLength(SLUGS.length);
    for (const f of failures) expect(f).toMatchObject({ file: expect.stringMatching(/9002_broken\.sql$/), line: 3, message: expect.stringContaining('already exists') });
    // The index of the failed file's first statement was rolled back with it, on every tenant.
    const [{ kept }] = (await db.sql`select count(*)::int as kept from pg_indexes where indexname = 'idx_products_name2'`) as unknown as [{ kept: number }];
    expect(kept).toBe(0);
  });
});
