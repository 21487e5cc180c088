import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import type { CreatedTenant } from '../../src/tenants/create.js';
import { mentions, schemaChecksum, schemaExists, seedTenant, sharedChecksum } from './helpers.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('tenant erase killed with SIGKILL', () => {
  let db: TestDatabase;
  let keep: CreatedTenant;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    keep = await seedTenant(db.sql, 'bystander');
  });
  afterAll(async () => db.drop());

  /** The eraser's sessions are told apart from this test's own pool by their application_name. */
  const eraserUrl = (): string => {
    const url = new URL(db.url);
    url.searchParams.set('application_name', 'eraser-under-test');
    return url.toString();
  };

  async function tenantctlSessions(): Promise<{ state: string }[]> {
    return (await db.sql`select state from pg_stat_activity where datname = current_database() and application_name = 'eraser-under-test'`) as unknown as { state: string }[];
  }

  /** Wait until the killed process's sessions are gone (the server rolled them back). */
  async function waitForSessionsGone(): Promise<void> {
    for (let i = 0; i < 100 && (await tenantctlSessions()).length; i += 1) await sleep(100);
  }

  /** The victim is either exactly as it was, or erased with a receipt and no trace. */
  async function untouchedOrErased(victim: CreatedTenant, before: unknown): Promise<'untouched' | 'erased'> {
    const [row] = await db.sql`select count(*)::int as n from public.tenants where id = ${victim.id}`;
    const [receipt] = await db.sql`select count(*)::int as n from tenantctl.erasure_receipts where tenant_id = ${victim.id}`.catch(() => [{ n: 0 }]);
    if (row!.n === 1) {
      expect(await schemaExists(db.sql, victim.schema)).toBe(true);
      expect({ schema: await schemaChecksum(db.sql, victim.schema), shared: await sharedChecksum(db.sql, victim.id) }).toEqual(before);
      expect(receipt!.n).toBe(0);
      return 'untouched';
    }
    expect(await schemaExists(db.sql, victim.schema)).toBe(false);
    expect(await mentions(db.sql, victim.id)).toEqual({});
    expect(receipt!.n).toBe(1);
    return 'erased';
  }

  it('inside the transaction (held open by a failpoint): the tenant is untouched', async () => {
    const victim = await seedTenant(db.sql, 'victim');
    const before = { schema: await schemaChecksum(db.sql, victim.schema), shared: await sharedChecksum(db.sql, victim.id) };
    const keepBefore = await schemaChecksum(db.sql, keep.schema);
    const child = spawnCli(['tenant', 'erase', 'victim', '--yes', '--confirm', 'victim'], { url: eraserUrl(), env: { TENANTCTL_FAILPOINT: 'tenant-erase:before-receipt:sleep=20000' } });
    // The schema is already dropped inside the open transaction when the failpoint sleeps.
    let inside = false;
    for (let i = 0; i < 300 && !inside; i += 1) {
      const sessions = await tenantctlSessions();
      if (sessions.some((s) => s.state === 'idle in transaction')) {
        const [dropped] = await db.sql`select count(*)::int as n from pg_locks l join pg_stat_activity a on a.pid = l.pid where a.application_name = 'eraser-under-test' and l.mode = 'AccessExclusiveLock'`;
        inside = dropped!.n > 0;
      }
      if (!inside) await sleep(50);
    }
    expect(inside).toBe(true);
    const closed = new Promise((resolve) => child.on('close', resolve));
    child.kill('SIGKILL');
    await closed;
    await waitForSessionsGone();
    expect(await untouchedOrErased(victim, before)).toBe('untouched');
    expect(await schemaChecksum(db.sql, keep.schema)).toEqual(keepBefore);
  });

  it('at other moments: every run leaves the tenant untouched or fully erased', async () => {
    const outcomes: string[] = [];
    for (const [i, delay] of [250, 600, 900, 1300].entries()) {
      const slug = `victim_${i}`;
      const victim = await seedTenant(db.sql, slug);
      const before = { schema: await schemaChecksum(db.sql, victim.schema), shared: await sharedChecksum(db.sql, victim.id) };
      const child = spawnCli(['tenant', 'erase', slug, '--yes', '--confirm', slug], { url: eraserUrl() });
      const closed = new Promise((resolve) => child.on('close', resolve));
      await sleep(delay);
      child.kill('SIGKILL');
      await closed;
      await waitForSessionsGone();
      outcomes.push(await untouchedOrErased(victim, before));
    }
    // Both outcomes are fine; a third one does not exist (the helper fails on anything half-done).
    expect(outcomes.every((o) => o === 'untouched' || o === 'erased')).toBe(true);
  });
});
