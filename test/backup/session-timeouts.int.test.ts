import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';
import { buildPlatform } from './helpers.js';

// pg_dump must be at least the server's major: on a newer test server (TEST_PG_MAJOR) say why this skips.
const client = await backupClientStatus();

/**
 * Timeouts a DBA sets on the application's database or role (ALTER DATABASE/ROLE … SET) apply
 * to every session tenantctl opens. pg_dump and pg_restore turn them off for themselves;
 * tenantctl's own backup sessions must too: the snapshot holder sits idle in its transaction
 * while pg_dump runs, and a checksum of a large table takes longer than a short statement_timeout.
 */
describe.skipIf(!client.ok)(client.ok ? 'backup under short session timeouts' : `backup under short session timeouts (${client.reason})`, () => {
  let db: TestDatabase;
  let target: TestDatabase;
  let work: string;
  const timeouts = async (d: TestDatabase) => {
    await d.sql`alter database ${d.sql(d.name)} set idle_in_transaction_session_timeout = '100ms'`;
    await d.sql`alter database ${d.sql(d.name)} set statement_timeout = '40ms'`;
  };
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-timeouts-'));
    db = await createTestDatabase('bkto');
    await buildPlatform(db, ['acme']);
    // Large enough that pg_dump takes longer than the idle timeout, and its checksum longer than the statement timeout.
    await db.sql`create table tenant_acme.readings as select g as id, md5(g::text) as body from generate_series(1, 400000) g`;
    await timeouts(db);
    target = await createTestDatabase('bktot');
    await timeouts(target);
  });
  afterAll(async () => {
    await db?.drop();
    await target?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('create and verify (into a target with the same timeouts) succeed: their sessions turn the timeouts off, as pg_dump does', async () => {
    const backup = join(work, 'b');
    const created = await runCli(['backup', 'create', '--out', backup, '--json'], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
    const verified = await runCli(['backup', 'verify', backup, '--target-url', target.url, '--json'], { url: db.url });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout).faults).toEqual([]);
  });
});
