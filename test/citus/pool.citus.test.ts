import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.js';
import { CITUS_URL, createCitusDatabase, reportSkipped, tablesOnWorker, type CitusDatabase } from './cluster.js';

/** Shard tables of a schema on a worker: `<table>_<shardid>` (the other names there are metadata shells). */
const shards = (names: string[]): string[] => names.filter((n) => /_\d+$/.test(n));

if (!CITUS_URL) reportSkipped();
else describe('the warm pool on a Citus cluster', () => {
  let db: CitusDatabase;
  const cli = async (...args: string[]) => {
    const r = await runCli([...args, '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout);
  };

  beforeAll(async () => {
    db = await createCitusDatabase();
    await cli('migrate', 'up');
  });
  afterAll(async () => db?.drop());

  /** How many shard tables of the tenant's schema each worker holds, by address. */
  const placement = async (schema: string) => {
    const out: Record<string, number> = {};
    for (const w of db.workers) {
      const worker = await db.worker(w.address);
      out[w.address] = shards(await tablesOnWorker(worker, schema)).length;
      await worker.end();
    }
    return out;
  };

  // The handout's statements (plan, registry row and subscription in one; claim and history in
  // one) run against reference tables here: the create must still succeed and place the schema whole.
  test('a create from the pool is a distributed schema on one worker, with the same tables as a create without it', async () => {
    await cli('tenant', 'pool', 'fill', '--size', '1');
    const pooled = await cli('tenant', 'create', 'viapool', '--name', 'Via Pool', '--plan', 'starter', '--owner-email', 'o@viapool.test');
    const built = await cli('tenant', 'create', 'built', '--name', 'Built', '--plan', 'starter', '--owner-email', 'o@built.test', '--trial-days', '7');
    expect([pooled.fromPool, built.fromPool]).toEqual([true, false]);
    expect(built.subscription.status).toBe('trial');

    const pooledOn = await placement('tenant_viapool');
    const builtOn = await placement('tenant_built');
    const tables = (on: Record<string, number>) => Object.values(on).filter((n) => n > 0);
    expect(tables(pooledOn)).toHaveLength(1);
    expect(tables(pooledOn)).toEqual(tables(builtOn));
    expect(tables(pooledOn)[0]).toBeGreaterThan(20);

    const [rows] = await db.sql`select (select count(*) from public.tenants)::int as tenants, (select count(*) from public.subscriptions)::int as subscriptions, (select count(*) from tenantctl.tenant_pool)::int as spares`;
    expect(rows).toEqual({ tenants: 2, subscriptions: 2, spares: 0 });
    expect((await cli('tenant', 'show', 'viapool')).owners).toEqual([expect.objectContaining({ email: 'o@viapool.test' })]);
    // The seeded rows carry the create's time, as without the pool (the restamp runs on the distributed tables too).
    const [stamps] = await db.sql`select bool_and(r.created_at = t.created_at) as fresh from tenant_viapool.roles r, public.tenants t where t.slug = 'viapool'`;
    expect(stamps).toEqual({ fresh: true });
  });
});
