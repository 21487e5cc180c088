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

  it('while a statement of the erasure runs on the server: it is cancelled before the process exits, and nothing is erased', async () => {
    const t = await seedTenant(db.sql, 'int_lock', 2);
    // The erasure's statements on the tenant's products wait on this transaction's lock, on the server.
    const holder = await db.sql.reserve();
    const waiting = async () => (await db.sql`select pid from pg_stat_activity where datname = current_database() and state = 'active' and wait_event_type = 'Lock'`).length;
    try {
      await holder`begin`;
      await holder`select count(*) from tenant_int_lock.products`;
      const child = spawnCli(['tenant', 'erase', 'int_lock', '--yes', '--confirm', 'int_lock', '--reason', 'interrupt test'], { url: db.url });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = new Promise<number | null>((resolve) => child.on('close', resolve));
      await until(async () => (await waiting()) > 0, 'the erasure to wait on the lock');
      child.kill('SIGINT');
      expect(await code, stderr).toBe(130);
      // It used to wait on (and erase once the lock was free) although the process had said it stopped.
      await until(async () => (await waiting()) === 0, 'the cancelled statement to leave pg_stat_activity');
      expect(stderr).toContain('SIGINT received: the erasure of int_lock was stopped before it reported its commit');
      expect(stderr).toContain('The statement that was running on the server was cancelled');
    } finally {
      await holder`rollback`;
      holder.release();
    }
    expect((await db.sql`select count(*)::int as n from public.tenants where id = ${t.id}`)[0]!.n).toBe(1);
    expect(await receipts(t.id)).toBe(0);
  });
});
