import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupClientStatus } from '../support/pg-client.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { background, buildPlatform, exists, toolsWorkingOn, until } from './helpers.js';

// pg_dump must be at least the server's major: on a newer test server (TEST_PG_MAJOR) say why this skips.
const client = await backupClientStatus();

/*
 * Killing `backup create` mid-run. These wait for a real pg_dump to block on a locked table;
 * beside other files on a loaded 2-core machine that wait outran the test timeout, so this
 * file runs in the `serial` project, alone, after the integration files.
 */
describe.skipIf(!client.ok)(client.ok ? 'backup create killed mid-run' : `backup create killed mid-run (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-kill-'));
    db = await createTestDatabase('bk');
    await buildPlatform(db, ['acme', 'globex']);
  });
  afterAll(async () => {
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  // One test per signal: each waits for a real pg_dump to block, which takes a while on a busy machine.
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`killing create with ${signal}${signal === 'SIGKILL' ? ' (tenantctl itself, no cleanup)' : ''} leaves no pg_dump running`, async () => {
      const out = join(work, `killed-${signal}`);
      const blocker = await db.sql.reserve();
      await blocker`begin`;
      await blocker`lock table tenant_acme.products in access exclusive mode`;
      try {
        const run = background(['backup', 'create', '--out', out], db.url);
        await until(async () => (await toolsWorkingOn(out)).length > 0 && (await db.sql`select 1 from pg_locks where relation = 'tenant_acme.products'::regclass and not granted and database = (select oid from pg_database where datname = current_database())`).length > 0);
        run.child.kill(signal);
        const result = await run.done;
        if (signal === 'SIGTERM') expect(result.code).toBe(143);
        // The blocked pg_dump is stopped although its table is still locked.
        await until(async () => (await toolsWorkingOn(out)).length === 0);
      } finally {
        // Whatever happened, the next test must not find the table still locked.
        await blocker`rollback`;
        blocker.release();
      }
      if (signal === 'SIGTERM') expect(await exists(out)).toBe(false);
    });
  }

  it('a verify stopped twice (the second signal during its clean-up) is still in the backup log, as failed', async () => {
    const out = join(work, 'to-verify');
    const { runCli } = await import('../support/cli.js');
    expect((await runCli(['backup', 'create', '--out', out], { url: db.url })).code).toBe(0);
    const scratch = async () => (await db.sql`select 1 from pg_database where datname like 'tenantctl_verify_%'`).length > 0;
    const run = background(['backup', 'verify', out], db.url);
    await until(scratch);
    run.child.kill('SIGINT');
    // The first signal starts the clean-up (the scratch database dropped: seconds on a large
    // backup); the second, sent at once (while the log entry may still be on its way), stops
    // the process at once, but lets that entry finish first.
    await new Promise((r) => setTimeout(r, 0));
    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(130);
    const log = JSON.parse((await runCli(['backup', 'log', '--json'], { url: db.url })).stdout) as { action: string; ok: boolean }[];
    expect(log.filter((e) => e.action === 'verify')).toEqual([expect.objectContaining({ action: 'verify', ok: false })]);
  });
});
