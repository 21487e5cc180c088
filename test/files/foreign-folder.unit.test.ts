import { chmod, chown, lchown, mkdir, mkdtemp, readdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { assertFolderOnlyOurs } from '../../src/files/private.js';
import { prepareBackupFolder } from '../../src/backup/out-folder.js';
import { prepareExportDir } from '../../src/tenants/export.js';
import { TenantctlError } from '../../src/errors.js';

/**
 * issue 12, item 3: a folder that tenantctl fills with several files (tenant export, backup,
 * retention archive) on a path another user controls is refused before anything is written:
 * that user could swap a subfolder tenantctl just made for a link and aim the next files
 * (fixed names: users.csv, manifest.json, …) anywhere tenantctl (often root) can write.
 */
let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'foreign-folder-'));
});

const refusal = async (run: Promise<unknown>): Promise<TenantctlError> => {
  const error = await run.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(TenantctlError);
  return error as TenantctlError;
};

describe('folders another user controls', () => {
  it('refuses a folder others can write to (no sticky bit), and one under it, naming the level; writes nothing', async () => {
    const open = join(root, 'open');
    await mkdir(open);
    await chmod(open, 0o777);
    for (const out of [open, join(open, 'new', 'deeper')]) {
      const error = await refusal(prepareExportDir(out));
      expect(error.code).toBe('FOLDER_NOT_PRIVATE');
      expect(error.exitCode).toBe(2);
      expect(error.message).toContain('can be written by other users (mode 777, no sticky bit)');
      expect(error.hint).toContain('--out');
    }
    expect((await refusal(prepareBackupFolder(open, 'db', new Date()))).code).toBe('FOLDER_NOT_PRIVATE');
    expect(await readdir(open)).toEqual([]);
  });

  it('accepts a sticky shared folder (/tmp) and a private one of ours', async () => {
    const sticky = join(root, 'sticky');
    await mkdir(sticky);
    await chmod(sticky, 0o1777);
    await expect(assertFolderOnlyOurs(join(sticky, 'mine'), '--out')).resolves.toBeUndefined();
    await prepareExportDir(join(sticky, 'mine'));
    expect((await readdir(join(sticky, 'mine'))).sort()).toEqual(['shared', 'tenant']);
  });

  it.skipIf(process.getuid?.() !== 0)('refuses, as root, a folder or a link on the path that belongs to another user, even in a sticky folder', async () => {
    const sticky = join(root, 'sticky');
    await mkdir(sticky);
    await chmod(sticky, 0o1777);
    const theirs = join(sticky, 'theirs');
    await mkdir(theirs, { mode: 0o700 });
    await chown(theirs, 65534, 65534);
    // The owner of a link in a sticky folder may replace it: the link is a level of the path too.
    const link = join(sticky, 'link');
    await symlink(root, link);
    await lchown(link, 65534, 65534);
    for (const out of [theirs, join(theirs, 'sub'), join(link, 'sub')]) {
      const error = await refusal(prepareExportDir(out));
      expect(error.code, out).toBe('FOLDER_NOT_PRIVATE');
      expect(error.message, out).toContain('belongs to another user (uid 65534)');
    }
    expect(await readdir(theirs)).toEqual([]);
    expect(await readdir(root)).not.toContain('sub');
  });
});
