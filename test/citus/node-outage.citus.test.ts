import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.js';
import { CITUS_URL, createCitusDatabase, reportSkipped, type CitusDatabase } from './cluster.js';

const create = (url: string, slug: string, node: string) =>
  runCli(['tenant', 'create', slug, '--name', slug, '--plan', 'starter', '--owner-email', `owner@${slug}.test`, '--node', node], { url });

/** A port nothing listens on: a worker registered there is down. */
const DEAD = 1;

if (!CITUS_URL) reportSkipped();
else describe('a Citus cluster with a worker down or disabled', () => {
  let db: CitusDatabase;
  let w1: CitusDatabase['workers'][number];
  let w2: CitusDatabase['workers'][number];

  beforeAll(async () => {
    db = await createCitusDatabase();
    [w1, w2] = db.workers as [typeof w1, typeof w2];
    const up = await runCli(['migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    for (const slug of ['acme', 'globex']) {
      const run = await create(db.url, slug, w1.address);
      expect(run.code, run.stderr).toBe(0);
    }
  }, 120_000);
  afterAll(async () => db?.drop());

  /** Run `work` while the coordinator's pg_dist_node points worker 1 at a dead port (as if it were stopped). */
  async function withWorker1Down(work: () => Promise<void>): Promise<void> {
    await db.sql`update pg_dist_node set nodeport = ${DEAD} where nodeport = ${w1.port}`;
    try {
      await work();
    } finally {
      await db.sql`update pg_dist_node set nodeport = ${w1.port} where nodeport = ${DEAD}`;
    }
  }

  test('tenant erase refuses up front while a worker is disabled: nothing is erased, the node is named', async () => {
    await db.sql`select citus_add_inactive_node('127.0.0.1', ${DEAD})`;
    try {
      const run = await runCli(['tenant', 'erase', 'acme', '--yes', '--confirm', 'acme'], { url: db.url });
      expect(run.code, run.stdout).toBe(1);
      expect(run.stderr).toContain(`127.0.0.1:${DEAD} (disabled)`);
      expect(run.stderr).toContain('needs every worker');
      expect(run.stderr).toContain('Nothing was erased');
      const [{ n }] = (await db.sql`select count(*)::int as n from public.tenants where slug = 'acme'`) as unknown as [{ n: number }];
      expect(n).toBe(1);
    } finally {
      await db.sql`select citus_remove_node('127.0.0.1', ${DEAD})`;
    }
  }, 60_000);

  test("a worker's stale reference-table copy fails the erasure with a hint about the stale copy, not about column names", async () => {
    // Worker 2 misses a delete while disabled, and keeps the row after it is activated again.
    await db.sql`select citus_disable_node(${w2.host}, ${w2.port}, synchronous := true)`;
    await db.sql`delete from public.subscriptions where tenant_id = (select id from public.tenants where slug = 'globex')`;
    await db.sql`select citus_activate_node(${w2.host}, ${w2.port})`;
    const run = await runCli(['tenant', 'erase', 'globex', '--yes', '--confirm', 'globex'], { url: db.url });
    expect(run.code, run.stdout).toBe(1);
    expect(run.stderr).toContain(`${w2.address}/`);
    expect(run.stderr).toContain('stale copies on a worker');
    expect(run.stderr).not.toContain('rename the column');
    await db.sql`select replicate_reference_tables()`;
  }, 60_000);

  test('monitor check is CRITICAL naming a worker that does not answer; node-skew is not computed from zeros', async () => {
    await withWorker1Down(async () => {
      const run = await runCli(['monitor', 'check', '--json'], { url: db.url });
      expect(run.code, run.stdout).toBe(2);
      const checks = JSON.parse(run.stdout).checks as { name: string; status: string; message: string }[];
      expect(checks.find((c) => c.name === 'citus-nodes')).toMatchObject({ status: 'CRITICAL' });
      expect(checks.find((c) => c.name === 'citus-nodes')!.message).toContain(`127.0.0.1:${DEAD} (unreachable`);
      expect(checks.find((c) => c.name === 'node-skew')).toMatchObject({ status: 'UNKNOWN' });
    });
    const ok = await runCli(['monitor', 'check', '--json', '--only', 'citus-nodes,node-skew'], { url: db.url });
    expect(JSON.parse(ok.stdout).checks.find((c: { name: string }) => c.name === 'citus-nodes').status).toBe('OK');
  }, 60_000);

  test('monitor nodes marks the worker unreachable, with unknown (not 0) bytes, and exits 2', async () => {
    await withWorker1Down(async () => {
      const run = await runCli(['monitor', 'nodes', '--json'], { url: db.url });
      expect(run.code, run.stderr).toBe(2);
      const nodes = JSON.parse(run.stdout) as { node: string; state: string; bytes: number | null; share: number | null }[];
      expect(nodes.find((n) => n.node === `127.0.0.1:${DEAD}`)).toMatchObject({ state: 'unreachable', bytes: null, share: null });
      expect(run.stderr).toContain(`127.0.0.1:${DEAD} is unreachable`);
      const table = await runCli(['monitor', 'nodes'], { url: db.url });
      expect(table.stdout).toMatch(/unreachable │ +1 │ +\? │ +\? │/);
    });
  }, 60_000);

  test('tenant rebalance refuses while a worker does not answer, naming it, and moves nothing', async () => {
    await withWorker1Down(async () => {
      for (const args of [['--dry-run'], ['--yes']]) {
        const run = await runCli(['tenant', 'rebalance', ...args], { url: db.url });
        expect(run.code, run.stdout).toBe(1);
        expect(run.stderr).toContain(`127.0.0.1:${DEAD} (unreachable`);
      }
    });
  }, 60_000);

  test('a statement the coordinator cannot run on a worker says the worker is unreachable, not the connection', async () => {
    await withWorker1Down(async () => {
      const run = await runCli(['tenant', 'show', 'acme'], { url: db.url });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`could not reach its worker 127.0.0.1:${DEAD}: `);
      expect(run.stderr).not.toContain('The connection to database');
      expect(run.stderr).not.toContain('?.');
    });
  }, 60_000);
});
