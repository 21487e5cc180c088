import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { schemaChecksum } from '../tenants/helpers.js';
import { loadSqlFile } from './load-profile-sql.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A pooled erasure killed with SIGKILL while its transaction is open leaves the tenant
 * untouched (the server rolls the transaction back); run again, it erases it completely.
 * ABParts with --shared-rows tombstone (the placeholder rows are created in the same
 * transaction) and Prometric (shared people, anonymized audit rows).
 */
describe.each([
  { profile: 'abparts', dataset: 'abparts-crossing.sql', tenant: '01cc0000-0000-4000-8000-000000000001', extra: ['--shared-rows', 'tombstone'] },
  { profile: 'prometric', dataset: 'prometric-crossing.sql', tenant: 'c0000000-0000-4000-8000-000000000000', extra: [] },
])('$profile: tenant erase killed mid-transaction', ({ profile, dataset, tenant, extra }) => {
  let db: TestDatabase;
  /** Every table of the pooled schema, row count and md5 of its rows: "changed nothing" means equal. */
  const checksums = () => schemaChecksum(db.sql, 'public');

  beforeAll(async () => {
    db = await createTestDatabase(`kill${profile.slice(0, 4)}`);
    const up = await runCli(['--profile', profile, 'migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    await loadSqlFile(db.sql, join(import.meta.dirname, 'data', dataset));
  });
  afterAll(async () => db.drop());

  it('SIGKILL inside the transaction changes nothing; the next run erases the tenant completely', async () => {
    const before = await checksums();
    const url = new URL(db.url);
    url.searchParams.set('application_name', 'pooled-eraser');
    // C crosses nobody in either dataset, so its erasure goes through; the failpoint holds
    // the transaction open after every row is deleted and before the receipt.
    const child = spawnCli(['tenant', 'erase', tenant, '--yes', '--confirm', tenant, '--reason', 'kill test', ...extra], { url: url.toString(), env: { TENANTCTL_FAILPOINT: 'tenant-erase:before-receipt:sleep=60000' } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise((resolve) => child.on('close', resolve));
    // Wait until the eraser's transaction has deleted the tenant's registry row (seen from its own session as idle in transaction).
    for (let i = 0; i < 600; i += 1) {
      const [row] = await db.sql`select count(*)::int as n from pg_stat_activity where application_name = 'pooled-eraser' and state = 'idle in transaction'`;
      if (row!.n > 0) break;
      await sleep(100);
    }
    child.kill('SIGKILL');
    await exited;
    for (let i = 0; i < 100 && (await db.sql`select 1 from pg_stat_activity where application_name = 'pooled-eraser'`).length; i += 1) await sleep(100);
    expect(await checksums(), stderr).toEqual(before);

    const again = await runCli(['tenant', 'erase', tenant, '--yes', '--confirm', tenant, '--reason', 'kill test', ...extra, '--json'], { url: db.url });
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect((await db.sql`select count(*)::int as n from organizations where id = ${tenant}`)[0]!.n).toBe(0);
    expect(JSON.parse(again.stdout).scan.found).toEqual([]);
  });
});
