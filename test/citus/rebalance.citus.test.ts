import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTenant } from '../../src/tenants/create.js';
import { schemaPerTenant } from '../../src/tenancy/strategy.js';
import { runCli } from '../support/cli.js';
import { CITUS_URL, createCitusDatabase, reportSkipped, type CitusDatabase } from './cluster.js';

const TENANTS = 20;

/** Bytes of tenant shards per worker, measured on each worker itself (not through the coordinator). */
async function bytesPerWorker(db: CitusDatabase): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const w of db.workers) {
    const worker = await db.worker(w.address);
    // Citus hides shards from pg_class for ordinary sessions on a worker.
    await worker`set citus.override_table_visibility = off`;
    const [{ bytes }] = (await worker`
      select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as bytes
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname like 'tenant\_%' and c.relkind = 'r' and c.relname ~ '_[0-9]+$'`) as unknown as [{ bytes: string }];
    out[w.address] = Number(bytes);
    await worker.end();
  }
  return out;
}

/**
 * Where every shard is placed, from the coordinator's metadata: a dry run must change none.
 * (Bytes would not do: autovacuum on a worker adds a free-space map between two reads.)
 */
async function placements(db: CitusDatabase): Promise<string[]> {
  const rows = await db.sql<{ placement: string }[]>`
    select p.shardid::text || ' ' || n.nodename || ':' || n.nodeport as placement
    from pg_dist_placement p join pg_dist_node n on n.groupid = p.groupid
    order by p.shardid, n.nodename, n.nodeport`;
  return rows.map((r) => r.placement);
}

if (!CITUS_URL) reportSkipped();
else describe('tenant rebalance on a Citus cluster', () => {
  let db: CitusDatabase;

  beforeAll(async () => {
    db = await createCitusDatabase();
    expect((await runCli(['migrate', 'up'], { url: db.url })).code).toBe(0);
    // Every tenant lands on the first worker (the second takes no new shards meanwhile): maximal skew.
    const [first, second] = db.workers;
    await db.sql`select citus_set_node_property(${second!.host}, ${second!.port}, 'shouldhaveshards', false)`;
    for (let i = 1; i <= TENANTS; i += 1) {
      const slug = `r${String(i).padStart(2, '0')}`;
      await createTenant(db.sql, { slug, name: slug, plan: 'starter', ownerEmail: `o@${slug}.test` }, { strategy: schemaPerTenant });
      // Sizes grow with i²: a few big tenants and many small ones. 1 KB rows, too short to be compressed.
      await db.sql`create table ${db.sql(`tenant_${slug}`)}.filler (id bigint primary key, pad text not null)`;
      await db.sql`insert into ${db.sql(`tenant_${slug}`)}.filler select g, repeat(md5(g::text), 32) from generate_series(1, ${i * i * 10}) g`;
    }
    await db.sql`select citus_set_node_property(${second!.host}, ${second!.port}, 'shouldhaveshards', true)`;
    const start = await bytesPerWorker(db);
    expect(start[second!.address]).toBe(0);
    expect(start[first!.address]).toBeGreaterThan(0);
  });
  afterAll(async () => db?.drop());

  test('--dry-run prints the plan and moves nothing', async () => {
    const before = await placements(db);
    expect(before.length).toBeGreaterThan(0);
    const run = await runCli(['tenant', 'rebalance', '--dry-run', '--json'], { url: db.url });
    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout) as { moves: { slug: string }[]; balanced: boolean };
    expect(plan.moves.length).toBeGreaterThan(0);
    expect(plan.balanced).toBe(true);
    expect(await placements(db)).toEqual(before);
  });

  test('20 tenants of skewed sizes end within 20% of even by bytes, as the workers measure it; a rerun has nothing to do', async () => {
    const run = await runCli(['tenant', 'rebalance', '--yes', '--json'], { url: db.url });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { done: unknown[]; plan: { moves: unknown[] } };
    expect(report.done.length).toBe(report.plan.moves.length);
    // Progress: one line per move on stderr.
    expect(run.stderr.split('\n').filter((l) => /^\[\d+\/\d+\] r\d\d /.test(l)).length).toBe(report.done.length);
    const after = await bytesPerWorker(db);
    const even = Object.values(after).reduce((a, b) => a + b, 0) / db.workers.length;
    for (const bytes of Object.values(after)) expect(Math.abs(bytes - even) / even).toBeLessThanOrEqual(0.2);
    const again = JSON.parse((await runCli(['tenant', 'rebalance', '--yes', '--json'], { url: db.url })).stdout) as { done: unknown[] };
    expect(again.done).toEqual([]);
  });
});
