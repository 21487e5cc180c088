import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syncFileSystem } from '../../src/backup/sync-paths.js';
import { TenantctlError } from '../../src/errors.js';

/** A folder holding a `sync` program that prints `stderr` and exits with `code`. */
async function fakeSync(dir: string, name: string, stderr: string, code: number): Promise<string> {
  const bin = join(dir, name);
  await rm(bin, { recursive: true, force: true });
  await mkdir(bin);
  await writeFile(join(bin, 'sync'), `#!/bin/sh\necho '${stderr}' >&2\nexit ${code}\n`);
  await chmod(join(bin, 'sync'), 0o755);
  return bin;
}

describe.skipIf(process.platform !== 'linux')('syncFileSystem: one syncfs for a backup folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tenantctl-syncfs-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('flushes with the system sync --file-system', async () => {
    expect(await syncFileSystem(dir, { PATH: process.env.PATH })).toBe(true);
  });

  it('says it could not (the caller then fsyncs file by file) when there is no sync, or one without --file-system', async () => {
    expect(await syncFileSystem(dir, { PATH: join(dir, 'nowhere') })).toBe(false);
    const old = await fakeSync(dir, 'old', "sync: unrecognized option '--file-system'", 1);
    expect(await syncFileSystem(dir, { PATH: old })).toBe(false);
  });

  it('fails the backup, quoting the error, when the flush itself fails', async () => {
    const broken = await fakeSync(dir, 'broken', `sync: error syncing '${dir}': Input/output error`, 1);
    const error = await syncFileSystem(dir, { PATH: broken }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TenantctlError);
    expect(error).toMatchObject({ code: 'BACKUP_SYNC_FAILED' });
    expect((error as Error).message).toContain('Input/output error');
  });
});
