import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/db/connect.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, freshPool, type TestDatabase } from '../support/db.js';
import { eventually } from './helpers.js';

/*
 * Replication slots and prepared transactions belong to the whole cluster: planting them
 * would make every other file's `monitor check` warn. Blocked sessions are listed for the whole
 * server too: a blocked pair planted here sat beside another file's own blocked pair (a pooled
 * import waiting on a tenant lock) and the report rightly showed both. This file runs in the
 * `serial` project, alone, after the integration files.
 */
describe('monitor check: cluster-wide conditions', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('clu');
  });
  afterAll(async () => db?.drop());

  it('activity shows a blocked session and the session blocking it; check warns about it', async () => {
    // Two sessions of their own (a pool's reserve() can wait for a connection the test holds).
    const session = () => freshPool(db);
    await db.sql`create table accounts (id int primary key, balance int)`;
    await db.sql`insert into accounts values (1, 100)`;
    const holder = await session();
    const waiter = await session();
    try {
      const [{ pid: holderPid }] = await holder`select pg_backend_pid() as pid`;
      const [{ pid: waiterPid }] = await waiter`select pg_backend_pid() as pid`;
      await holder`begin`;
      await holder`update accounts set balance = balance - 10 where id = 1`;
      const blocked = waiter`update accounts set balance = balance + 10 where id = 1`.execute();
      await eventually(async () => (await db.sql`select 1 from pg_stat_activity where pid = ${waiterPid} and wait_event_type = 'Lock'`).length > 0, 'the waiter to block');

      const r = await runCli(['monitor', 'activity', '--json'], { url: db.url });
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout);
      expect(report.blocking).toEqual([expect.objectContaining({ blockedPid: waiterPid, blockingPid: holderPid, blockingState: 'idle in transaction' })]);
      expect(report.sessions.find((s: { pid: number }) => s.pid === waiterPid)).toMatchObject({ state: 'active', blockedBy: [holderPid], waitEventType: 'Lock' });
      expect(report.sessions.find((s: { pid: number }) => s.pid === holderPid)).toMatchObject({ state: 'idle in transaction' });
      const human = await runCli(['monitor', 'activity'], { url: db.url });
      expect(human.stdout).toMatch(/blocking: 1 pair/);

      const check = await runCli(['monitor', 'check', '--only', 'blocked,idle-in-transaction', '--warning', 'blocked=1', '--critical', 'blocked=none', '--warning', 'idle-in-transaction=1h'], { url: db.url });
      expect(check.code, check.stdout + check.stderr).toBe(1);
      expect(check.stdout).toMatch(/^WARNING blocked: 1 session\(s\) blocked, .* blocked by pid \d+/m);
      // Only problems get a line of their own; every check still reports its perfdata on line 1.
      expect(check.stdout).not.toMatch(/^(OK|WARNING|CRITICAL) idle-in-transaction/m);
      expect(check.stdout.split('\n')[0]).toMatch(/^WARNING: blocked: 1 session\(s\) blocked.* \| .*idle-in-transaction=[\d.]+s;@3600:;@1800:;0; blocked=1;@1:;;0;$/);

      await holder`commit`;
      await blocked;
    } finally {
      await holder.end();
      await waiter.end();
    }
  });

  it('warns about an inactive replication slot and the WAL it retains, with perfdata in bytes', async () => {
    await db.sql`select pg_create_physical_replication_slot('tenantctl_forgotten', true)`;
    try {
      await db.sql`create table churn as select g, repeat('x', 200) as pad from generate_series(1, 5000) g`;
      const r = await runCli(['monitor', 'check', '--only', 'inactive-slots,slot-wal', '--warning', 'slot-wal=64kB'], { url: db.url });
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const [first, ...rest] = r.stdout.trim().split('\n');
      expect(first).toMatch(/^WARNING: inactive-slots: 1 inactive replication slot\(s\): "tenantctl_forgotten" \(physical, [\d.]+ (kB|MB) retained\)/);
      expect(first).toMatch(/ \| inactive-slots=1;@1:;;0; slot-wal=\d+B;@65536:;@10737418240:;0;$/);
      expect(rest.join('\n')).toMatch(/^WARNING slot-wal: slot "tenantctl_forgotten" \(inactive\) retains [\d.]+ (kB|MB) of WAL/m);
    } finally {
      await db.sql`select pg_drop_replication_slot('tenantctl_forgotten')`;
    }
    const clean = await runCli(['monitor', 'check', '--only', 'inactive-slots,slot-wal'], { url: db.url });
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.stdout).toMatch(/slot-wal=U;/);
  });

  it('warns about a forgotten prepared transaction, naming it and its age', async (context) => {
    const [{ max_prepared_transactions: allowed }] = await db.sql`show max_prepared_transactions`;
    if (Number(allowed) === 0) context.skip('max_prepared_transactions is 0 on this server (the test server sets it; TEST_DATABASE_URL may not)');
    const session: Sql = await freshPool(db);
    try {
      await session`create table if not exists ledger (id int)`;
      await session.unsafe(`begin; insert into ledger values (1); prepare transaction 'tenantctl-stuck'`);
      await new Promise((r) => setTimeout(r, 50));
      const r = await runCli(['monitor', 'check', '--only', 'prepared-transactions', '--warning', 'prepared-transactions=10ms'], { url: db.url });
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toMatch(/^WARNING: prepared-transactions: 1 prepared transaction\(s\), oldest "tenantctl-stuck" in clu_\w+ by \w+, prepared [\d.]+ (ms|s) ago \(warning 10ms, critical 30s\) \| prepared-transactions=[\d.]+s;@0\.01:;@30:;0;$/m);
    } finally {
      await session.unsafe(`rollback prepared 'tenantctl-stuck'`).catch(() => undefined);
      await session.end();
    }
  });
});
