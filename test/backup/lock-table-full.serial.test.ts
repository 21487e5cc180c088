import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReservedSql } from 'postgres';
import { readManifest } from '../../src/backup/manifest.js';
import { backupClientStatus } from '../support/pg-client.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { background, buildPlatform, exists, toolsWorkingOn, until } from './helpers.js';

const client = await backupClientStatus();

/**
 * Take advisory locks (each one entry of the server's shared lock table, never a fast-path
 * slot) in one transaction until the table is full, halving the batch at each "out of
 * shared memory": every pg_dump that starts then fails to lock its tables. Rolling the
 * transaction back frees them all.
 */
async function fillLockTable(filler: ReservedSql): Promise<number> {
  await filler`begin`;
  let held = 0;
  for (let batch = 4096; batch >= 1; ) {
    await filler`savepoint fill`;
    try {
      await filler`select pg_advisory_xact_lock(1000000000 + g) from generate_series(${held + 1}::bigint, ${held + batch}::bigint) g`;
      await filler`release savepoint fill`;
      held += batch;
    } catch {
      await filler`rollback to savepoint fill`;
      batch = Math.floor(batch / 2);
    }
  }
  return held;
}

/*
 * The lock budget is a share of a lock table other sessions use too. When a chunk's pg_dump
 * finds it full, the chunk is dumped again on its own once the others ended, in the same
 * snapshot; if even that fails the backup fails cleanly. Filling the whole server's lock
 * table would break files running beside this one: so it runs in the `serial` project, alone.
 * The run is held at failpoints (before chunk-001's pg_dump, before its dump on its own) so
 * the table is full exactly while chunk-001 is dumped the first time, whatever the machine's speed.
 */
describe.skipIf(!client.ok)(client.ok ? 'backup create when the lock table is full' : `backup create when the lock table is full (${client.reason})`, () => {
  let db: TestDatabase;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'tenantctl-locks-'));
    db = await createTestDatabase('bklocks');
    await buildPlatform(db, ['acme', 'globex']);
  });
  afterAll(async () => {
    await db.drop();
    await rm(work, { recursive: true, force: true });
  });

  /** Run `backup create` (one chunk per tenant, one pg_dump at a time) with chunk-001's first dump made while the lock table is full; `atRetry` runs when the run is about to dump it again alone. */
  async function createWithFullTable(name: string, atRetry: (filler: ReservedSql) => Promise<void>) {
    const out = join(work, name);
    const checked = join(work, `${name}-checked`);
    const alone = join(work, `${name}-alone`);
    const filler = await db.sql.reserve();
    try {
      const run = background(['backup', 'create', '--out', out, '--jobs', '1', '--lock-budget', '50', '--json'], db.url, {
        TENANTCTL_FAILPOINT: `backup-create:chunk-checked:chunk-001:wait=${checked},backup-create:dump-alone:wait=${alone}`,
      });
      let ended = false;
      void run.done.then(() => (ended = true));
      await until(async () => ended || (await exists(`${checked}.reached`)));
      if (ended) expect.fail(`backup create ended before chunk-001: ${JSON.stringify(await run.done)}`);
      expect(await fillLockTable(filler)).toBeGreaterThan(0);
      await writeFile(checked, '');
      await until(async () => ended || (await exists(`${alone}.reached`)));
      if (ended) expect.fail(`backup create ended instead of dumping chunk-001 again: ${JSON.stringify(await run.done)}`);
      await atRetry(filler);
      await writeFile(alone, '');
      const result = await run.done;
      return { out, result };
    } finally {
      await filler`rollback`.catch(() => undefined);
      filler.release();
    }
  }

  it('a chunk that found the lock table full is dumped again on its own, and the backup is whole and verifies', async () => {
    const { out, result } = await createWithFullTable('retried', async (filler) => {
      await filler`rollback`;
    });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { dumpedAlone: string[]; tenants: number };
    expect(report.dumpedAlone).toEqual(['chunk-001']);
    const { manifest } = await readManifest(out);
    expect(manifest.chunks.map((c) => [c.name, c.schemas])).toEqual([
      ['chunk-000', ['public', 'tenantctl']],
      ['chunk-001', ['tenant_acme']],
      ['chunk-002', ['tenant_globex']],
    ]);
    expect(manifest.tables.filter((t) => t.table === 'products').map((t) => [t.schema, t.rows])).toEqual([['tenant_acme', 5], ['tenant_globex', 8]]);
    const verify = await runCli(['backup', 'verify', out], { url: db.url });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  });

  it('a chunk that cannot lock its tables even alone fails the backup with what to do, and leaves nothing behind', async () => {
    const { out, result } = await createWithFullTable('still-full', async () => undefined);
    expect(result.code).toBe(1);
    const { error } = JSON.parse(result.stdout) as { error: { code: string; message: string; hint: string } };
    expect(error.code).toBe('BACKUP_LOCK_TABLE_FULL');
    expect(error.message).toContain('chunk-001');
    expect(error.hint).toContain('--lock-budget');
    expect(await toolsWorkingOn(out)).toEqual([]);
    expect(await exists(out)).toBe(false);
    // The database itself is as it was: the next run, with the table free, succeeds.
    const again = await runCli(['backup', 'create', '--out', join(work, 'after'), '--json'], { url: db.url });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).dumpedAlone).toEqual([]);
    expect(await readFile(join(work, 'after', 'manifest.json'), 'utf8')).toContain('tenant_globex');
  });
});
