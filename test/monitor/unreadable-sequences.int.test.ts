import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';

/** A sequence the monitoring role may not read is no "unused" sequence: the check cannot tell, and says so. */
describe('monitor check sequences as a role that cannot read every sequence', () => {
  let db: TestDatabase;
  const role = `mon_seq_${process.pid}`;
  let url: string;
  beforeAll(async () => {
    db = await createTestDatabase('unreadseq');
    await migrateAll(db.sql);
    await db.sql.unsafe(`create sequence public.big_seq as integer; select setval('public.big_seq', 2100000000);
      create role ${role} login password 'seq-pass-1' nosuperuser; grant pg_monitor to ${role};
      grant usage on schema tenantctl to ${role}; grant select on all tables in schema tenantctl to ${role}`);
    const u = new URL(db.url);
    u.username = role;
    u.password = 'seq-pass-1';
    url = u.toString();
  });
  afterAll(async () => {
    await db?.sql.unsafe(`drop owned by ${role}`).catch(() => undefined);
    await db?.sql.unsafe(`drop role if exists ${role}`);
    await db?.drop();
  });

  it('is CRITICAL for the owner, and UNKNOWN (not OK) for a role that cannot read the sequence', async () => {
    const owner = await runCli(['monitor', 'check', '--only', 'sequences'], { url: db.url });
    expect(owner.code, owner.stdout).toBe(2);
    const limited = await runCli(['monitor', 'check', '--only', 'sequences', '--verbose'], { url });
    expect(limited.code, limited.stdout + limited.stderr).toBe(3);
    expect(limited.stdout).toMatch(/cannot tell: \d+ of \d+ sequence\(s\) cannot be read by this role/);
  });
  it('a CYCLE sequence near its limit is no alarm: it starts over, it never runs out', async () => {
    await db.sql`alter sequence public.big_seq cycle`;
    try {
      const r = await runCli(['monitor', 'check', '--only', 'sequences', '--verbose'], { url: db.url });
      expect(r.code, r.stdout).toBe(0);
      const report = JSON.parse((await runCli(['monitor', 'sequences', '--json'], { url: db.url })).stdout);
      expect(report.sequences.at(-1)).toMatchObject({ sequence: 'big_seq', cycles: true });
    } finally {
      await db.sql`alter sequence public.big_seq no cycle`;
    }
  });
});
