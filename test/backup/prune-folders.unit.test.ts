import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeBackup } from '../../src/backup/prune-folders.js';

// Deleting a backup that holds newer ones removes only the files its manifest lists. A folder
// inside it that is a link to elsewhere is never followed: a file there is no file of the backup.
describe('removeBackup of a backup that holds newer backups', () => {
  const made: string[] = [];
  afterEach(async () => {
    for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('removes its listed files and emptied folders, keeps the nested backup, and follows no link out of the folder', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'tenantctl-prune-outside-'));
    const folder = await mkdtemp(join(tmpdir(), 'tenantctl-prune-folder-'));
    made.push(outside, folder);
    await writeFile(join(outside, 'victim'), 'keep me');
    await mkdir(join(folder, 'chunk'));
    await writeFile(join(folder, 'chunk', 'data.dump'), 'x');
    await writeFile(join(folder, 'manifest.json'), '{}');
    await symlink(outside, join(folder, 'linked'));
    await mkdir(join(folder, 'db-20261130T000000Z'));
    await writeFile(join(folder, 'db-20261130T000000Z', 'manifest.json'), '{}');
    const files = [{ path: 'chunk/data.dump', bytes: 1, sha256: '' }, { path: 'linked/victim', bytes: 7, sha256: '' }, { path: '../escape', bytes: 1, sha256: '' }];
    await removeBackup(folder, { files }, [join(folder, 'db-20261130T000000Z')]);
    expect(await readFile(join(outside, 'victim'), 'utf8')).toBe('keep me');
    expect((await readdir(folder)).sort()).toEqual(['db-20261130T000000Z', 'linked']);
    expect(await readdir(join(folder, 'db-20261130T000000Z'))).toEqual(['manifest.json']);
  });
});
