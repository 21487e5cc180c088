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

/**
 * The tables are owned by a role whose name holds a space: pg_restore --list prints the owner
 * unquoted after the table's name, so verify must not take the owner's first word for part
 * of the table's name.
 */
describe.skipIf(!client.ok)(client.ok ? 'backup by a role whose name holds a space' : `backup by a role whose name holds a space (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  let url: string;
  const role = `app owner ${randomBytes(3).toString('hex')}`;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-spaced-role-'));
    db = await createTestDatabase('bkrole');
    url = await handOverToRole(db, role, 'spaced-out', true);
    const up = await runCli(['migrate', 'up'], { url });
    expect(up.code, up.stderr).toBe(0);
    const created = await runCli(['tenant', 'create', 'acme', '--name', 'Acme', '--plan', 'starter', '--owner-email', 'owner@acme.test'], { url });
    expect(created.code, created.stderr).toBe(0);
  });
  afterAll(async () => {
    await dropOwnerRoleAndDatabase(db, role);
    await rm(work, { recursive: true, force: true });
  });

  it('verify finds every table of the archives in the manifest', async () => {
    const backup = join(work, 'b');
    const created = await runCli(['backup', 'create', '--out', backup, '--json'], { url });
    expect(created.code, created.stderr).toBe(0);
    const verified = await runCli(['backup', 'verify', backup, '--json'], { url });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout).faults).toEqual([]);
  });
});
