import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';

const client = await backupClientStatus();

/**
 * An organization erased while a restore of it is being prepared (its rows set aside from the
 * archive, which takes minutes on a large backup) is refused once the restore holds the
 * organization's lock, as it is when the erasure came first: a copy under --as is erased data too.
 */
describe.skipIf(!client.ok)(client.ok ? 'pooled restore-tenant of an organization erased meanwhile' : `pooled restore race (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { url: db.url, env });
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-erased-meanwhile-'));
    db = await createTestDatabase('erasedmw');
    expect((await cli(['--profile', 'imsop', 'migrate', 'up'])).code).toBe(0);
    for (const [name, email] of [['Org Gone', 'a@gone.test'], ['Org Stays', 'b@stays.test']]) {
      const r = await cli(['tenant', 'create', name!, '--owner-email', email!]);
      expect(r.code, r.stderr).toBe(0);
    }
    const b = await cli(['backup', 'create', '--out', join(work, 'b')]);
    expect(b.code, b.stderr).toBe(0);
  });
  afterAll(async () => {
    await db?.drop();
    await rm(work, { recursive: true, force: true });
  });

  it('refuses the copy with BACKUP_TENANT_ERASED and adds nothing', async () => {
    // The erasure holds the organization's lock, uncommitted, for 4 s; the restore starts inside that window.
    const erase = cli(['tenant', 'erase', 'Org Gone', '--yes', '--confirm', 'Org Gone', '--reason', 'test'], { TENANTCTL_FAILPOINT: 'tenant-erase:before-commit:sleep=4000' });
    await new Promise((r) => setTimeout(r, 1500));
    const restore = await cli(['backup', 'restore-tenant', join(work, 'b'), '--tenant', 'Org Gone', '--as', 'Org Copy', '--json']);
    const erased = await erase;
    expect(erased.code, erased.stderr).toBe(0);
    expect(restore.code, restore.stdout + restore.stderr).toBe(1);
    expect(JSON.parse(restore.stdout).error.code).toBe('BACKUP_TENANT_ERASED');
    expect(await db.sql`select name from organizations order by name`).toEqual([{ name: 'Org Stays' }]);
    expect(await db.sql`select count(*)::int as n from users where email = 'a@gone.test'`).toEqual([{ n: 0 }]);
  });
});
