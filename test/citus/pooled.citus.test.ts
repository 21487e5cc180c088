import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../support/cli.js';
import { CITUS_URL, createCitusDatabase, reportSkipped, type CitusDatabase } from './cluster.js';

const ERASED = 'Demo 0002 Khan Farms';

if (!CITUS_URL) reportSkipped();
else describe('a pooled profile (ABParts) on a Citus coordinator: its tables stay local', () => {
  let db: CitusDatabase;
  const cli = (...args: string[]) => runCli(['--profile', 'abparts', ...args], { url: db.url });
  const usersPerOrganization = async () =>
    (await db.sql`select o.name, count(u.id)::int as users from organizations o left join users u on u.organization_id = o.id group by 1 order by 1`) as unknown as { name: string; users: number }[];

  beforeAll(async () => {
    db = await createCitusDatabase();
  });
  afterAll(async () => db?.drop());

  test('migrate up makes no reference table and says the tables stay local on the coordinator', async () => {
    const up = await cli('migrate', 'up');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).not.toContain('reference table\n');
    expect(up.stdout).toMatch(/citus: .*users.* stay local on the coordinator: a pooled profile's table/);
    const [{ n }] = (await db.sql`select count(*)::int as n from pg_dist_partition`) as unknown as [{ n: number }];
    expect(n).toBe(0);
    const json = JSON.parse((await cli('migrate', 'up', '--json')).stdout) as { referenceTables?: unknown };
    expect(json.referenceTables).toBeUndefined(); // a rerun applied nothing: nothing to say
  });

  test('citus distribute refuses a pooled profile and changes nothing', async () => {
    const run = await cli('citus', 'distribute', '--yes');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('stay local on the coordinator');
    const [{ n }] = (await db.sql`select count(*)::int as n from pg_dist_partition`) as unknown as [{ n: number }];
    expect(n).toBe(0);
  });

  test("a pooled erase works there and leaves the other organizations' rows intact", async () => {
    const gen = await cli('fixtures', 'generate', '--tenants', '3', '--products', '20', '--orders', '30');
    expect(gen.code, gen.stderr).toBe(0);
    const before = await usersPerOrganization();
    expect(before.find((o) => o.name === ERASED)?.users).toBeGreaterThan(0);
    const erase = await cli('tenant', 'erase', ERASED, '--yes', '--confirm', ERASED, '--shared-rows', 'tombstone');
    expect(erase.code, erase.stderr).toBe(0);
    const after = await usersPerOrganization();
    expect(after.find((o) => o.name === ERASED)).toBeUndefined();
    // --shared-rows tombstone: co-owned rows now point at the tombstone organization.
    expect(after.filter((o) => o.name !== 'Erased organization')).toEqual(before.filter((o) => o.name !== ERASED));
    expect(after.reduce((sum, o) => sum + o.users, 0)).toBeGreaterThan(0);
  });
});
