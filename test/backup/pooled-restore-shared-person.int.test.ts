import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';

const client = await backupClientStatus();

/**
 * Prometric: one person employed by two organizations (same e-mail), with rows of their own
 * (an e-mail verification). Erasing one organization keeps the person for the other; restoring
 * the erased organization as itself must keep the person's live rows as they are, as a copy
 * under --as does, not refuse on them nor write them back.
 */
describe.skipIf(!client.ok)(client.ok ? 'prometric: restore-tenant in place with a person another organization still employs' : `prometric restore of a shared person (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  const cli = (args: string[]) => runCli(args, { url: db.url });
  const ok = async (args: string[]) => {
    const r = await cli([...args, '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    return JSON.parse(r.stdout);
  };
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-shared-person-'));
    db = await createTestDatabase('sharedp');
    await ok(['--profile', 'prometric', 'migrate', 'up']);
    await ok(['maintain', '--only', 'partitions']);
  });
  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('keeps the shared person\'s live verification row and restores the rest of the organization', async () => {
    await ok(['tenant', 'create', '111111111111', '--name', 'Alpha', '--owner-email', 'sam@shared.kz']);
    await ok(['tenant', 'create', '222222222222', '--name', 'Beta', '--owner-email', 'sam@shared.kz']);
    await db.sql`insert into email_verifications (email, code, user_id, type, is_used, expires_at)
                 select email, '123456', id, 'registration', true, now() from users where email = 'sam@shared.kz'`;
    const verification = await db.sql`select * from email_verifications`;
    await ok(['backup', 'create', '--out', join(work, 'b')]);
    await ok(['tenant', 'erase', '111111111111', '--yes', '--confirm', '111111111111', '--reason', 'test']);
    // The person is Beta's too: kept, with their verification.
    expect(await db.sql`select * from email_verifications`).toEqual(verification);
    const restored = await ok(['backup', 'restore-tenant', join(work, 'b'), '--tenant', '111111111111', '--force']);
    expect(restored).toMatchObject({ sameId: true, sharedKept: { users: 1, email_verifications: 1 } });
    expect(await db.sql`select * from email_verifications`).toEqual(verification);
    expect(await db.sql`select o.bin from employees e join organizations o on o.id = e.organization_id join users u on u.id = e.user_id where u.email = 'sam@shared.kz' order by 1`)
      .toEqual([{ bin: '111111111111' }, { bin: '222222222222' }]);
  });
});
