import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { until } from '../migrate/run-helpers.js';
import { seedTenant } from './helpers.js';

/**
 * Ctrl-C during `tenant erase` used to end the process with no word, also once the erasure
 * had committed and only its scan was running. Now it says which: rolled back, or erased with
 * its receipt. No timing: a failpoint holds the command at the moment the signal is sent.
 */
describe('tenant erase interrupted by SIGINT', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase('eint');
    await migrateAll(db.sql);
    dir = await mkdtemp(join(tmpdir(), 'tenantctl-erase-int-'));
  });
  afterAll(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  async function interruptAt(slug: string, point: string) {
    const gate = join(dir, `${slug}-${point.replace(/\W/g, '_')}`);
    const child = spawnCli(['tenant', 'erase', slug, '--yes', '--confirm', slug, '--reason', 'interrupt test'], { url: db.url, env: { TENANTCTL_FAILPOINT: `${point}:wait=${gate}` } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = new Promise<number | null>((resolve) => child.on('close', resolve));
    await until(() => existsSync(`${gate}.reached`), `the erase to reach ${point}`);
    child.kill('SIGINT');
    const exit = await code;
    await writeFile(gate, '');
    return { exit, stderr };
  }
  const receipts = async (id: string) => (await db.sql`select count(*)::int as n from tenantctl.erasure_receipts where tenant_id = ${id}`)[0]!.n;

  it('before the commit: says it was rolled back, and nothing is erased', async () => {
    const t = await seedTenant(db.sql, 'int_before', 2);
    const { exit, stderr } = await interruptAt('int_before', 'tenant-erase:before-commit');
    expect(exit).toBe(130);
    expect(stderr).toContain('SIGINT received: the erasure of int_before was stopped before it reported its commit');
    expect((await db.sql`select count(*)::int as n from public.tenants where id = ${t.id}`)[0]!.n).toBe(1);
    expect(await receipts(t.id)).toBe(0);
  });

  it('during the scan after the commit: says the tenant IS erased, with its receipt', async () => {
    const t = await seedTenant(db.sql, 'int_scan', 2);
    const { exit, stderr } = await interruptAt('int_scan', 'tenant-erase:scan');
    expect(exit).toBe(130);
    expect(stderr).toMatch(/SIGINT received: tenant int_scan IS erased \(committed, receipt \d+\); only the scan that proves its id is gone was stopped/);
    expect((await db.sql`select count(*)::int as n from public.tenants where id = ${t.id}`)[0]!.n).toBe(0);
    expect(await receipts(t.id)).toBe(1);
  });
});
