import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupFolderName, prepareBackupFolder } from '../../src/backup/out-folder.js';

// Two `backup create --dir` runs started in the same second (two cron lines, a retry) made up
// the same folder name: the second found the first's files and failed as a usage error.
describe('a backup folder made up from the time', () => {
  const made: string[] = [];
  afterEach(async () => {
    for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('is never shared: runs in the same second get -2, -3 …, each created private and empty', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tenantctl-dated-'));
    made.push(root);
    const now = new Date('2026-11-30T17:16:13.123Z');
    const out = join(root, backupFolderName('com', now));
    const folders = await Promise.all([1, 2, 3].map(() => prepareBackupFolder(out, 'com', now, true)));
    expect(folders.map((f) => f.path).sort()).toEqual([out, `${out}-2`, `${out}-3`]);
    expect(folders.every((f) => f.created)).toBe(true);
    for (const f of folders) expect((await stat(f.path)).mode & 0o777).toBe(0o700);
    // A later run in the same second, once the first has written into its folder: the next name again.
    await writeFile(join(out, 'chunk-000.dump'), 'x');
    expect((await prepareBackupFolder(out, 'com', now, true)).path).toBe(`${out}-4`);
    expect((await readdir(root)).length).toBe(4);
  });

  it('inside a folder of backups (the nightly --out) works the same way', async () => {
    const nightly = await mkdtemp(join(tmpdir(), 'tenantctl-nightly-'));
    made.push(nightly);
    await writeFile(join(nightly, 'manifest.json'), '{}');
    const now = new Date('2026-11-30T17:16:13Z');
    const [a, b] = await Promise.all([prepareBackupFolder(nightly, 'com', now), prepareBackupFolder(nightly, 'com', now)]);
    expect([a!.path, b!.path].sort()).toEqual([join(nightly, backupFolderName('com', now)), `${join(nightly, backupFolderName('com', now))}-2`]);
  });
});
