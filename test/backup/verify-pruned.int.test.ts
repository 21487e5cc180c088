import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { backupClientStatus } from '../support/pg-client.js';
import { background, exists, until } from './helpers.js';

// pg_dump must be at least the server's major: on a newer test server (TEST_PG_MAJOR) say why this skips.
const client = await backupClientStatus();

describe.skipIf(!client.ok)(client.ok ? 'backup verify of a backup pruned while it runs' : `backup verify of a backup pruned while it runs (${client.reason})`, () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tenantctl-verify-pruned-'));
    db = await createTestDatabase('vp');
    await migrateAll(db.sql);
  });
  afterAll(async () => {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('fails, saying the backup was removed during the check, and records no `verify ok` for it', async () => {
    const backup = join(dir, 'nightly');
    const created = await runCli(['backup', 'create', '--out', backup, '--json'], { url: db.url });
    expect(created.code, created.stderr).toBe(0);
    const go = join(dir, 'go');
    const run = background(['backup', 'verify', backup, '--json'], db.url, { TENANTCTL_FAILPOINT: `backup-verify:before-record:wait=${go}` });
    // Every check has passed; the outcome is not recorded yet. A prune by age removes the backup now.
    await until(() => exists(`${go}.reached`));
    const pruned = await runCli(['backup', 'prune', '--dir', dir, '--keep-days', '0', '--keep-last', '0', '--yes', '--json'], { url: db.url });
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(JSON.parse(pruned.stdout).deleted).toEqual([backup]);
    await writeFile(go, '');
    const verified = await run.done;
    expect(verified.code, verified.stdout + verified.stderr).toBe(1);
    const report = JSON.parse(verified.stdout);
    expect(report.ok).toBe(false);
    expect(report.faults).toEqual([expect.objectContaining({ check: 'files', message: expect.stringContaining('the backup was removed during the check (manifest.json is gone or unreadable)') })]);
    const log = JSON.parse((await runCli(['backup', 'log', '--json'], { url: db.url })).stdout) as { action: string; ok: boolean; backupPath?: string }[];
    expect(log.filter((e) => e.action === 'verify').map((e) => e.ok)).toEqual([false]);
  });
});
