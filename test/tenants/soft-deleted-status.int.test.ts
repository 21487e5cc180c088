import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { loadSqlFile } from '../profiles/load-profile-sql.js';

const DATA = join(import.meta.dirname, '..', 'profiles', 'data');

/**
 * An organization the application soft-deleted (`deleted_at` set, the registry's softDelete
 * column) still holds its rows, so it is still listed; but as `deleted`, the same in tenant list,
 * tenant show and monitor tenant-sizes, and `--status deleted` finds it. Its status column alone
 * ('active') does not say so.
 */
describe.each([
  { profile: 'imsop', dataset: 'imsop-crossing.sql', handle: 'Borealis Foods', other: 'Acme Logistics' },
  { profile: 'prometric', dataset: 'prometric-crossing.sql', handle: '190540098765', other: '210140012345' },
])('$profile: a soft-deleted organization', ({ profile, dataset, handle, other }) => {
  let db: TestDatabase;
  const json = async (args: string[]) => {
    const r = await runCli([...args, '--json'], { url: db.url });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    return JSON.parse(r.stdout);
  };

  beforeAll(async () => {
    db = await createTestDatabase(`softdel_${profile}`);
    const up = await runCli(['--profile', profile, 'migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    await loadSqlFile(db.sql, join(DATA, dataset));
    await db.sql`update organizations set deleted_at = now() where ${db.sql(profile === 'imsop' ? 'name' : 'bin')} = ${handle}`;
  });
  afterAll(async () => db.drop());

  it('is listed, shown and sized as deleted; --status deleted finds it and --status active does not', async () => {
    const list = await json(['tenant', 'list']);
    expect(list.find((t: { slug: string }) => t.slug === handle).status).toBe('deleted');
    expect(list.find((t: { slug: string }) => t.slug === other).status).toBe('active');
    expect((await json(['tenant', 'list', '--status', 'deleted'])).map((t: { slug: string }) => t.slug)).toEqual([handle]);
    expect((await json(['tenant', 'list', '--status', 'active'])).map((t: { slug: string }) => t.slug)).not.toContain(handle);
    expect((await json(['tenant', 'show', handle])).status).toBe('deleted');
    const sizes = (await json(['monitor', 'tenant-sizes'])).rows as { tenant: string; status: string }[];
    expect(sizes.find((t) => t.tenant === handle)!.status).toBe('deleted');
    expect(sizes.find((t) => t.tenant === other)!.status).toBe('active');
    const human = await runCli(['tenant', 'list', '--status', 'deleted'], { url: db.url });
    expect(human.stdout).toMatch(new RegExp(`${handle}.*deleted`));
  });
});
