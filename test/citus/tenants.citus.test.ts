import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli, spawnCli } from '../support/cli.js';
import { CITUS_URL, createCitusDatabase, reportSkipped, tablesOnWorker, type CitusDatabase } from './cluster.js';

/** Shard tables of a schema on a worker: `<table>_<shardid>` (the other names there are metadata shells). */
const shards = (names: string[]): string[] => names.filter((n) => /_\d+$/.test(n));

const create = (url: string, slug: string, extra: string[] = [], env: Record<string, string> = {}) =>
  runCli(['tenant', 'create', slug, '--name', slug, '--plan', 'starter', '--owner-email', `owner@${slug}.test`, '--json', ...extra], { url, env });

if (!CITUS_URL) reportSkipped();
else describe('the commerce profile on a Citus cluster', () => {
  let db: CitusDatabase;
  let tenantTables: number;

  beforeAll(async () => {
    db = await createCitusDatabase();
    const up = await runCli(['migrate', 'up', '--json'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
  });
  afterAll(async () => db?.drop());

  test('migrate up makes the shared tables reference tables', async () => {
    const refs = (await db.sql`select logicalrelid::regclass::text as t from pg_dist_partition where repmodel = 't'`) as unknown as { t: string }[];
    expect(refs.map((r) => r.t)).toEqual(expect.arrayContaining(['tenants', 'plans', 'subscriptions']));
  });

  test('a tenant created on the cluster lives on one worker with all its tables', async () => {
    const run = await create(db.url, 'acme');
    expect(run.code, run.stderr).toBe(0);
    const created = JSON.parse(run.stdout) as { placement: { node: string; reason: string } };
    expect(created.placement.reason).toBe('least-loaded');
    const [{ n }] = (await db.sql`select count(*)::int as n from pg_tables where schemaname = 'tenant_acme'`) as unknown as [{ n: number }];
    tenantTables = n;
    expect(n).toBeGreaterThan(20);
    for (const w of db.workers) {
      const worker = await db.worker(w.address);
      const here = shards(await tablesOnWorker(worker, 'tenant_acme'));
      await worker.end();
      expect(here.length).toBe(w.address === created.placement.node ? n : 0);
    }
  });

  test('--node places the tenant on the given worker; list and show say which node', async () => {
    const target = db.workers[1]!.address;
    const run = await create(db.url, 'globex', ['--node', target]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).placement).toMatchObject({ node: target, reason: 'requested' });
    const list = JSON.parse((await runCli(['tenant', 'list', '--json'], { url: db.url })).stdout) as { slug: string; node: string }[];
    expect(list.find((t) => t.slug === 'globex')!.node).toBe(target);
    const show = await runCli(['tenant', 'show', 'globex'], { url: db.url });
    expect(show.stdout).toContain(`node: ${target}`);
    const bad = await create(db.url, 'initech', ['--node', '127.0.0.1:1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('is not a worker of this cluster');
    // Checked before anything is created: a typo in --node leaves no tenant behind.
    const [{ n }] = (await db.sql`select count(*)::int as n from public.tenants where slug = 'initech'`) as unknown as [{ n: number }];
    expect(n).toBe(0);
  });

  test('a moved tenant keeps every row, its audit trail and its migration bookkeeping', async () => {
    await db.sql`insert into tenant_acme.products (sku, name) select 'sku-' || g, 'product ' || g from generate_series(1, 500) g`;
    const before = await fingerprint(db, 'acme');
    const from = (JSON.parse((await runCli(['tenant', 'list', '--json'], { url: db.url })).stdout) as { slug: string; node: string }[]).find((t) => t.slug === 'acme')!.node;
    const to = db.workers.find((w) => w.address !== from)!.address;
    const run = await runCli(['tenant', 'move', 'acme', '--to', to, '--json'], { url: db.url });
    expect(run.code, run.stderr).toBe(0);
    const moved = JSON.parse(run.stdout) as { from: string; to: string; mode: string };
    expect(moved).toMatchObject({ from, to, mode: 'online' });
    expect(await fingerprint(db, 'acme')).toEqual(before);
    const target = await db.worker(to);
    const source = await db.worker(from);
    expect(shards(await tablesOnWorker(target, 'tenant_acme')).length).toBe(tenantTables);
    expect(shards(await tablesOnWorker(source, 'tenant_acme'))).toEqual([]);
    await target.end();
    await source.end();
    const back = JSON.parse((await runCli(['tenant', 'move', 'acme', '--to', from, '--mode', 'block-writes', '--json'], { url: db.url })).stdout);
    expect(back).toMatchObject({ mode: 'block-writes', reason: 'asked for with --mode block-writes' });
    expect(await fingerprint(db, 'acme')).toEqual(before);
  });

  test('a move that cannot run online blocks writes and says why', async () => {
    // A table without a primary key cannot be replicated logically: online is impossible.
    await db.sql`create table tenant_globex.scratch_notes (note text)`;
    await db.sql`insert into tenant_globex.scratch_notes values ('kept')`;
    const to = db.workers[0]!.address;
    const run = await runCli(['tenant', 'move', 'globex', '--to', to, '--json'], { url: db.url });
    expect(run.code, run.stderr).toBe(0);
    const moved = JSON.parse(run.stdout) as { mode: string; reason: string; to: string };
    expect(moved).toMatchObject({ mode: 'block-writes', to });
    expect(moved.reason).toMatch(/no primary key or replica identity on .*scratch_notes/);
    expect(((await db.sql`select note from tenant_globex.scratch_notes`) as unknown as { note: string }[]).map((r) => r.note)).toEqual(['kept']);
    await db.sql`drop table tenant_globex.scratch_notes`;
    expect((await runCli(['tenant', 'move', 'globex', '--to', db.workers[1]!.address], { url: db.url })).code).toBe(0);
  });

  test('a move holds the tenant\'s lock: with another command on the tenant it waits, or exits 75 with --no-wait', async () => {
    const [{ id }] = (await db.sql`select id::text from public.tenants where slug = 'globex'`) as unknown as [{ id: string }];
    const nodeOf = async (slug: string) => (JSON.parse((await runCli(['tenant', 'list', '--json'], { url: db.url })).stdout) as { slug: string; node: string }[]).find((t) => t.slug === slug)!.node;
    const from = await nodeOf('globex');
    const to = db.workers.find((w) => w.address !== from)!.address;
    // The test's session plays an erase or import of globex in progress: it holds the tenant's lock.
    const holder = await db.sql.reserve();
    await holder`select pg_advisory_lock(hashtextextended(${'tenantctl.tenant:' + id}, 0))`;
    try {
      const refused = await runCli(['tenant', 'move', 'globex', '--to', to, '--no-wait', '--json'], { url: db.url });
      expect(refused.code, refused.stderr).toBe(75);
      expect(refused.stdout).toContain('TENANT_LOCKED');
      const waiting = spawnCli(['tenant', 'move', 'globex', '--to', to, '--json'], { url: db.url });
      let stderr = '';
      let stdout = '';
      waiting.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      waiting.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      const closed = new Promise<number | null>((resolve) => waiting.on('close', resolve));
      const queued = async () => (await db.sql`select 1 from pg_locks where locktype = 'advisory' and not granted
        and database = (select oid from pg_database where datname = current_database())`).length > 0;
      while (!(await queued())) await new Promise((r) => setTimeout(r, 50));
      // Still on its node while the lock is held: the move has not started.
      expect(await nodeOf('globex')).toBe(from);
      await holder`select pg_advisory_unlock(hashtextextended(${'tenantctl.tenant:' + id}, 0))`;
      expect(await closed, stderr).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ slug: 'globex', from, to });
    } finally {
      holder.release();
    }
    expect((await runCli(['tenant', 'move', 'globex', '--to', from], { url: db.url })).code).toBe(0);
  });

  test('monitor nodes lists every worker with its tenants; monitor check judges the skew', async () => {
    const nodes = JSON.parse((await runCli(['monitor', 'nodes', '--json'], { url: db.url })).stdout) as { node: string; tenants: number; bytes: number }[];
    expect(nodes.map((n) => n.node).sort()).toEqual(db.workers.map((w) => w.address).sort());
    expect(nodes.reduce((a, n) => a + n.tenants, 0)).toBe(2);
    const prom = await runCli(['monitor', 'nodes', '--prometheus'], { url: db.url });
    const samples = [...prom.stdout.matchAll(/^tenantctl_citus_node_tenants\{node="127\.0\.0\.1:\d+"\} (\d+)$/gm)].map((m) => Number(m[1]));
    expect(samples.length).toBe(db.workers.length);
    expect(samples.reduce((a, b) => a + b, 0)).toBe(2);
    const csv = await runCli(['monitor', 'nodes', '--csv'], { url: db.url });
    expect(csv.stdout.split('\n')[0]).toBe('node,state,tenants,bytes,share,connections,largest');
    const check = JSON.parse((await runCli(['monitor', 'check', '--json'], { url: db.url })).stdout) as { checks: { name: string; message: string }[] };
    expect(check.checks.find((c) => c.name === 'node-skew')!.message).toMatch(/holds [\d.]+% of tenant bytes/);
  });

  test('erase removes the tenant from every node and keeps the other tenant whole', async () => {
    const keep = await fingerprint(db, 'globex');
    const run = await runCli(['tenant', 'erase', 'acme', '--yes', '--confirm', 'acme', '--reason', 'GDPR art. 17', '--json'], { url: db.url });
    expect(run.code, run.stderr).toBe(0);
    // The post-scan looked at every worker, not only the coordinator.
    expect((JSON.parse(run.stdout) as { scan: { workers: string[] } }).scan.workers.sort()).toEqual(db.workers.map((w) => w.address).sort());
    for (const w of db.workers) {
      const worker = await db.worker(w.address);
      expect(await tablesOnWorker(worker, 'tenant_acme')).toEqual([]);
      await worker.end();
    }
    expect(await fingerprint(db, 'globex')).toEqual(keep);
  });

  test("erase's scan finds a trace of the tenant left on a worker and names the worker", async () => {
    expect((await create(db.url, 'umbrella')).code).toBe(0);
    const [{ id }] = (await db.sql`select id::text from public.tenants where slug = 'umbrella'`) as unknown as [{ id: string }];
    // A copy someone made on a worker by hand, outside anything the coordinator knows about.
    const stray = db.workers[0]!;
    const worker = await db.worker(stray.address);
    await worker`create table public.stray_notes (note text)`;
    await worker`insert into public.stray_notes values (${`copied from tenant ${id}`}), ('unrelated')`;
    const run = await runCli(['tenant', 'erase', 'umbrella', '--yes', '--confirm', 'umbrella', '--reason', 'test', '--json'], { url: db.url });
    expect(run.code).toBe(1);
    const error = JSON.parse(run.stdout) as { error: { code: string; details: { found: { table: string; rows: number }[] } } };
    expect(error.error.code).toBe('ERASURE_INCOMPLETE');
    expect(error.error.details.found).toEqual([{ table: `${stray.address}/public.stray_notes`, rows: 1, columns: ['note'] }]);
    // A table made on a worker by hand is no stale copy of a reference table.
    expect(run.stdout).not.toContain('stale copies');
    // Only the trace is reported: the unrelated row stays, the tenant's shards are gone everywhere.
    expect(((await worker`select count(*)::int as n from public.stray_notes`) as unknown as [{ n: number }])[0].n).toBe(2);
    await worker.end();
    for (const w of db.workers) {
      const node = await db.worker(w.address);
      expect(await tablesOnWorker(node, 'tenant_umbrella')).toEqual([]);
      await node.end();
    }
  });

  test('a create whose move to its worker fails says the tenant exists, where, and how to move it', async () => {
    const target = db.workers[0]!.address;
    // Citus puts new schemas on the workers in turn: within two creates one lands elsewhere and must move.
    let failed: Awaited<ReturnType<typeof create>> | undefined;
    let slug = '';
    for (const candidate of ['hooli', 'pied']) {
      const run = await create(db.url, candidate, ['--node', target], { TENANTCTL_FAILPOINT: 'tenant-create:place' });
      if (run.code === 0) {
        expect(JSON.parse(run.stdout).placement).toMatchObject({ node: target, moved: false });
        continue;
      }
      failed = run;
      slug = candidate;
      break;
    }
    expect(failed, 'neither create had to move').toBeDefined();
    expect(failed!.code).toBe(1);
    const { error } = JSON.parse(failed!.stdout);
    const other = db.workers.find((w) => w.address !== target)!.address;
    expect(error).toMatchObject({ code: 'TENANT_NOT_PLACED', details: { slug, schema: `tenant_${slug}`, node: other, target } });
    expect(error.message).toContain(`Tenant ${slug} exists on ${other}, but moving its schema tenant_${slug} to ${target} failed: Failpoint tenant-create:place`);
    expect(error.hint).toContain(`tenantctl tenant move ${slug} --to ${target}`);
    // What the message says holds: the tenant is whole on the other worker, and the hinted move works.
    const show = await runCli(['tenant', 'show', slug, '--json'], { url: db.url });
    expect(show.code, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ slug, node: other });
    const moved = await runCli(['tenant', 'move', slug, '--to', target, '--json'], { url: db.url });
    expect(moved.code, moved.stderr).toBe(0);
    expect(JSON.parse(moved.stdout)).toMatchObject({ slug, from: other, to: target });
  });
});

/** Row counts of every table of the tenant, its audit entries and its migration bookkeeping. */
async function fingerprint(db: CitusDatabase, slug: string): Promise<Record<string, number>> {
  const schema = `tenant_${slug}`;
  const tables = (await db.sql`select tablename::text as t from pg_tables where schemaname = ${schema} order by 1`) as unknown as { t: string }[];
  const out: Record<string, number> = {};
  for (const { t } of tables) {
    const [{ n }] = (await db.sql`select count(*)::int as n from ${db.sql(schema)}.${db.sql(t)}`) as unknown as [{ n: number }];
    out[t] = n;
  }
  const [{ audit }] = (await db.sql`select count(*)::int as audit from public.audit_logs a join public.tenants t on t.id = a.tenant_id where t.slug = ${slug}`) as unknown as [{ audit: number }];
  const [{ versions }] = (await db.sql`select count(*)::int as versions from tenantctl.schema_migrations where schema_name = ${schema}`) as unknown as [{ versions: number }];
  return { ...out, 'public.audit_logs': audit, 'tenantctl.schema_migrations': versions };
}
