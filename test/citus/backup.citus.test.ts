import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.js';
import { CITUS_URL, createCitusDatabase, localBytes, reportSkipped, tablesOnWorker, type CitusDatabase } from './cluster.js';

const create = (url: string, slug: string, node: string) =>
  runCli(['tenant', 'create', slug, '--name', slug, '--plan', 'starter', '--owner-email', `o@${slug}.test`, '--node', node], { url });

if (!CITUS_URL) reportSkipped();
else describe('backup create, verify and restore-tenant on a Citus coordinator', () => {
  let db: CitusDatabase;
  let out: string;
  let backup: string;

  beforeAll(async () => {
    db = await createCitusDatabase();
    out = mkdtempSync(join(tmpdir(), 'citus-backup-'));
    expect((await runCli(['migrate', 'up'], { url: db.url })).code).toBe(0);
    expect((await create(db.url, 'acme', db.workers[0]!.address)).code).toBe(0);
    expect((await create(db.url, 'globex', db.workers[1]!.address)).code).toBe(0);
    await db.sql`insert into tenant_acme.products (sku, name) select 'a-' || g, 'product ' || g from generate_series(1, 250) g`;
    // Creates tenantctl.tenant_events (an identity column): verify must restore it as a local table.
    expect((await runCli(['tenant', 'show', 'acme'], { url: db.url })).code).toBe(0);
    const [{ events }] = (await db.sql`select to_regclass('tenantctl.tenant_events') is not null as events`) as unknown as [{ events: boolean }];
    expect(events).toBe(true);
  });
  afterAll(async () => {
    await db?.drop();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  test("create records each tenant's node in the manifest", async () => {
    const run = await runCli(['backup', 'create', '--out', out, '--json'], { url: db.url });
    expect(run.code, run.stderr).toBe(0);
    backup = (JSON.parse(run.stdout) as { path: string }).path;
    const manifest = JSON.parse(readFileSync(join(backup, 'manifest.json'), 'utf8')) as { tenants: { slug: string; node: string | null }[] };
    expect(Object.fromEntries(manifest.tenants.map((t) => [t.slug, t.node]))).toEqual({ acme: db.workers[0]!.address, globex: db.workers[1]!.address });
  });

  test('verify restores the backup into a scratch database and finds every table and row', async () => {
    const run = await runCli(['backup', 'verify', backup, '--json'], { url: db.url });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { ok: boolean; target: string; checks: { check: string; status: string }[] };
    expect(report.ok).toBe(true);
    // Restored the way a restore onto the cluster runs: a Citus copy with schema-based sharding on.
    expect(report.target).toMatch(/single-node Citus copy with schema-based sharding/);
    expect(report.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(report.checks.map((c) => c.check)).toEqual(expect.arrayContaining(['restore', 'tables', 'tenants']));
  });

  test('restore-tenant brings the tenant back as a distributed schema on the node the backup recorded', async () => {
    // The live tenant moved away since the backup: the copy still goes where the backup had it.
    expect((await runCli(['tenant', 'move', 'acme', '--to', db.workers[1]!.address], { url: db.url })).code).toBe(0);
    const run = await runCli(['backup', 'restore-tenant', backup, '--tenant', 'acme', '--as', 'acme_copy', '--json'], { url: db.url });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { placement: { node: string; recorded: string } };
    expect(result.placement).toMatchObject({ node: db.workers[0]!.address, recorded: db.workers[0]!.address });
    const [{ distributed }] = (await db.sql`select count(*)::int as distributed from pg_dist_schema where schemaid = 'tenant_acme_copy'::regnamespace`) as unknown as [{ distributed: number }];
    expect(distributed).toBe(1);
    const [{ n }] = (await db.sql`select count(*)::int as n from tenant_acme_copy.products`) as unknown as [{ n: number }];
    expect(n).toBe(250);
    // No copy of the rows left in the coordinator's local tables (Citus leaves one unless truncated).
    expect(await localBytes(db.sql, 'tenant_acme_copy')).toBe(0);
    const [{ tables }] = (await db.sql`select count(*)::int as tables from pg_tables where schemaname = 'tenant_acme_copy'`) as unknown as [{ tables: number }];
    // Every table's shard is on the recorded worker, none on the other; the live tenant is untouched.
    for (const w of db.workers) {
      const worker = await db.worker(w.address);
      const shards = (await tablesOnWorker(worker, 'tenant_acme_copy')).filter((t) => /_\d+$/.test(t));
      await worker.end();
      expect(shards.length).toBe(w.address === db.workers[0]!.address ? tables : 0);
    }
    const [{ live }] = (await db.sql`select count(*)::int as live from tenant_acme.products`) as unknown as [{ live: number }];
    expect(live).toBe(250);
    const list = JSON.parse((await runCli(['tenant', 'list', '--json'], { url: db.url })).stdout) as { slug: string; node: string }[];
    expect(list.find((t) => t.slug === 'acme_copy')?.node).toBe(db.workers[0]!.address);
  });
});
