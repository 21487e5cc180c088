import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { loadSqlFile } from './load-profile-sql.js';

/**
 * A pooled erasure whose post-scan stops after the commit (here by failpoint) says that the
 * tenant was erased, with the receipt, as ERASURE_SCAN_FAILED: never as if the erasure failed.
 */
describe('abparts: a post-scan that stops after the erasure committed', () => {
  const tenant = '01cc0000-0000-4000-8000-000000000001';
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('scanfail');
    const up = await runCli(['--profile', 'abparts', 'migrate', 'up'], { url: db.url });
    expect(up.code, up.stderr).toBe(0);
    await loadSqlFile(db.sql, join(import.meta.dirname, 'data', 'abparts-crossing.sql'));
  });
  afterAll(async () => db.drop());

  it('exits 1 with ERASURE_SCAN_FAILED naming the receipt; the tenant is erased and a rerun shows its receipt', async () => {
    const erase = ['tenant', 'erase', tenant, '--yes', '--confirm', tenant, '--reason', 'scan test', '--shared-rows', 'tombstone', '--json'];
    const failed = await runCli(erase, { url: db.url, env: { TENANTCTL_FAILPOINT: 'tenant-erase:scan' } });
    expect(failed.code).toBe(1);
    const { error } = JSON.parse(failed.stdout);
    expect(error).toMatchObject({ code: 'ERASURE_SCAN_FAILED', details: { receipt: 1, tenantId: tenant } });
    expect(error.message).toMatch(/was erased \(receipt 1\), but the scan that proves its id .* is gone stopped: Failpoint tenant-erase:scan/);
    expect((await db.sql`select count(*)::int as n from organizations where id = ${tenant}`)[0]!.n).toBe(0);
    expect((await db.sql`select count(*)::int as n from tenantctl.erasure_receipts where tenant_id = ${tenant}`)[0]!.n).toBe(1);
    const again = await runCli(erase, { url: db.url });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(tenant);
  });
});
