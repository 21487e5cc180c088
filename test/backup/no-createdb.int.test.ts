import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { dropOwnerRoleAndDatabase, handOverToRole } from './helpers.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';

// pg_dump must be at least the server's major: on a newer test server (TEST_PG_MAJOR) say why this skips.
const client = await backupClientStatus();

/** A database owner without CREATEDB: each command that needs a scratch database says what it can do instead. */
describe.skipIf(!client.ok)(client.ok ? 'backup commands as a user without CREATEDB' : `backup commands as a user without CREATEDB (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  let backup: string;
  let url: string;
  const role = `nocreatedb_${randomBytes(3).toString('hex')}`;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-no-createdb-'));
    db = await createTestDatabase('bknocdb');
    url = await handOverToRole(db, role, 'no-db', false);
    expect((await runCli(['migrate', 'up'], { url })).code).toBe(0);
    const created = await runCli(['tenant', 'create', 'acme', '--name', 'Acme', '--plan', 'starter', '--owner-email', 'owner@acme.test'], { url });
    expect(created.code, created.stderr).toBe(0);
    backup = join(work, 'b');
    const made = await runCli(['backup', 'create', '--out', backup, '--json'], { url });
    expect(made.code, made.stderr).toBe(0);
  });
  afterAll(async () => {
    await dropOwnerRoleAndDatabase(db, role);
    await rm(work, { recursive: true, force: true });
  });

  it('verify points at --target-url', async () => {
    const result = await runCli(['backup', 'verify', backup], { url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('may not create the scratch database for the check');
    expect(result.stderr).toContain('--target-url');
  });

  it('restore-tenant, which has no --target-url, does not', async () => {
    const result = await runCli(['backup', 'restore-tenant', backup, '--tenant', 'acme', '--as', 'acme_copy'], { url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('may not create the scratch database for the restore');
    expect(result.stderr).toContain('run restore-tenant as a user that has it');
    expect(result.stderr).not.toContain('--target-url');
  });
});
