import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConnection } from '../../src/db/config.js';
import { connect, type Sql } from '../../src/db/connect.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

/*
 * Replication slots and prepared transactions belong to the whole cluster: planting them
 * would make every other file's `monitor check` warn. This file runs in the `serial`
 * project, alone, after the integration files.
 */
describe('monitor check: cluster-wide conditions', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('clu');
  });
  afterAll(async () => db?.drop());

  it('warns about an inactive replication slot and the WAL it retains, with perfdata in bytes', async () => {
    await db.sql`select pg_create_physical_replication_slot('tenantctl_forgotten', true)`;
    try {
      await db.sql`create table churn as select g, repeat('x', 200) as pad from generate_series(1, 5000) g`;
      const r = await runCli(['monitor', 'check', '--only', 'inactive-slots,slot-wal', '--warning', 'slot-wal=64kB'], { url: db.url });
      expect(r.code, r.stdout + r.stderr).toBe(1);
      const [first, ...rest] = r.stdout.trim().split('\n');
      expect(first).toMatch(/^WARNING: inactive-slots: 1 inactive replication slot\(s\): "tenantctl_forgotten" \(physical, [\d.]+ (kB|MB) retained\)/);
      expect(first).toMatch(/ \| inactive-slots=1;1;;0; slot-wal=\d+B;65536;10737418240;0;$/);
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
    const session: Sql = connect(await resolveConnection({ databaseUrl: db.url, env: {}, cwd: process.cwd() }), { max: 1 });
    try {
      await session`create table if not exists ledger (id int)`;
      await session.unsafe(`begin; insert into ledger values (1); prepare transaction 'tenantctl-stuck'`);
      await new Promise((r) => setTimeout(r, 50));
      const r = await runCli(['monitor', 'check', '--only', 'prepared-transactions', '--warning', 'prepared-transactions=10ms'], { url: db.url });
      expect(r.code, r.stdout + r.stderr).toBe(1);
      expect(r.stdout).toMatch(/^WARNING: prepared-transactions: 1 prepared transaction\(s\), oldest "tenantctl-stuck" in clu_\w+ by \w+, prepared [\d.]+ (ms|s) ago \(warning 10ms, critical 30s\) \| prepared-transactions=[\d.]+s;0\.01;30;0;$/m);
    } finally {
      await session.unsafe(`rollback prepared 'tenantctl-stuck'`).catch(() => undefined);
      await session.end();
    }
  });
});
