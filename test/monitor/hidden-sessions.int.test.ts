import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReservedSql } from 'postgres';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { eventually } from './helpers.js';

// A role that is neither a superuser nor a member of pg_read_all_stats sees other roles'
// sessions in pg_stat_activity without backend_type, state or query. The session checks and
// reports must count them and say they cannot see them, never report "no active queries".

describe('monitor as a role that cannot see the other roles\' sessions', () => {
  let db: TestDatabase;
  let idle: ReservedSql;
  let sleeping: Promise<unknown>;
  const role = `mon_owner_${process.pid}`;
  let ownerUrl: string;
  beforeAll(async () => {
    db = await createTestDatabase('hidden');
    await db.sql`create role ${db.sql(role)} login password 'owner-pass-1' nosuperuser`;
    await db.sql`alter database ${db.sql(db.name)} owner to ${db.sql(role)}`;
    await db.sql`create extension if not exists pg_stat_statements`;
    const url = new URL(db.url);
    url.username = role;
    url.password = 'owner-pass-1';
    ownerUrl = url.toString();
    // The superuser's query running, and another of its sessions idle in transaction.
    sleeping = db.sql`select pg_sleep(60)`.catch(() => undefined);
    idle = await db.sql.reserve();
    await idle`begin`;
    await idle`select 1`;
    await eventually(async () => (await db.sql`select 1 from pg_stat_activity where query like 'select pg_sleep(60)%' and now() - query_start > interval '2.5 s'`).length, 'the query to run 2.5 s');
  });
  afterAll(async () => {
    if (!db) return;
    await db.sql`select pg_cancel_backend(pid) from pg_stat_activity where query like 'select pg_sleep(60)%' and pid <> pg_backend_pid()`;
    await sleeping;
    if (idle) {
      await idle`rollback`;
      idle.release();
    }
    await db.sql`alter database ${db.sql(db.name)} owner to current_user`;
    await db.sql`drop role if exists ${db.sql(role)}`;
    await db.drop();
  });

  const check = ['monitor', 'check', '--only', 'connections,long-queries,idle-in-transaction,blocked', '--warning', 'long-queries=2s', '--warning', 'idle-in-transaction=2s', '--json'];

  it('the superuser sees the long query and the idle transaction (WARNING)', async () => {
    const r = await runCli(check, { url: db.url });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const byName = new Map(JSON.parse(r.stdout).checks.map((c: { name: string }) => [c.name, c]));
    // The check names the longest query of the whole server: another test's may run longer than ours.
    expect(byName.get('long-queries')).toMatchObject({ status: 'WARNING', message: expect.stringMatching(/^longest query has run/) });
    expect(byName.get('idle-in-transaction')).toMatchObject({ status: 'WARNING' });
    const activity = await runCli(['monitor', 'activity', '--json'], { url: db.url });
    expect(activity.code, activity.stderr).toBe(0);
    expect(activity.stdout).toContain('select pg_sleep(60)');
  });

  it('without pg_read_all_stats the session checks are UNKNOWN and name the GRANT; connections count every session', async () => {
    const superuser = JSON.parse((await runCli(['monitor', 'connections', '--json'], { url: db.url })).stdout);
    const r = await runCli(check, { url: ownerUrl });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const report = JSON.parse(r.stdout);
    const byName = new Map(report.checks.map((c: { name: string }) => [c.name, c]));
    for (const name of ['long-queries', 'idle-in-transaction', 'blocked']) {
      expect(byName.get(name), name).toMatchObject({ status: 'UNKNOWN', value: null, message: expect.stringMatching(new RegExp(`^cannot tell: \\d+ session\\(s\\) of other roles are hidden from role "${role}".*GRANT pg_monitor TO "${role}"`)) });
    }
    expect(byName.get('connections')).toMatchObject({ status: 'OK' });

    const connections = JSON.parse((await runCli(['monitor', 'connections', '--json'], { url: ownerUrl })).stdout);
    // The superuser's pool and this command's own connection, counted though hidden. (Not compared
    // with the superuser's count for equality: other test files connect to the same server meanwhile.)
    expect(connections.used).toBeGreaterThanOrEqual(4);
    expect(superuser.used).toBeGreaterThanOrEqual(4);
    expect(connections.byState.hidden).toBeGreaterThanOrEqual(3);
    expect(connections.note).toMatch(new RegExp(`hidden from role "${role}".*GRANT pg_monitor TO "${role}"`));

    const activity = await runCli(['monitor', 'activity'], { url: ownerUrl });
    expect(activity.code, activity.stderr).toBe(0);
    expect(activity.stdout).toMatch(new RegExp(`note: \\d+ session\\(s\\) of other roles are hidden from role "${role}".*GRANT pg_monitor TO "${role}"`));

    const slow = await runCli(['monitor', 'slow-queries', '--all-databases', '--json'], { url: ownerUrl });
    expect(slow.code, slow.stderr).toBe(0);
    expect(JSON.parse(slow.stdout).note).toMatch(new RegExp(`<insufficient privilege>.*GRANT pg_monitor TO "${role}"`));
  });

  it('once granted pg_monitor, the same role sees them (WARNING) and gets no note', async () => {
    await db.sql`grant pg_monitor to ${db.sql(role)}`;
    const r = await runCli(check, { url: ownerUrl });
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const byName = new Map(JSON.parse(r.stdout).checks.map((c: { name: string }) => [c.name, c]));
    expect(byName.get('long-queries')).toMatchObject({ status: 'WARNING', message: expect.stringMatching(/pg_sleep/) });
    expect(byName.get('idle-in-transaction')).toMatchObject({ status: 'WARNING' });
    const connections = JSON.parse((await runCli(['monitor', 'connections', '--json'], { url: ownerUrl })).stdout);
    expect(connections.note).toBeNull();
    expect(connections.byState.hidden).toBeUndefined();
  });
});
