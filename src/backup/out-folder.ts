import { chmod, lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TenantctlError } from '../errors.js';
import { assertFolderOnlyOurs, createAtFreeName, createPrivateDir, fileError, printablePath, PRIVATE_DIR_MODE } from '../files/private.js';
import { MANIFEST_FILE } from './manifest.js';

/** `acme-20261122T043012Z`: sorts by time, safe in any file system. */
export function backupFolderName(database: string, now: Date): string {
  return `${database.replace(/[^A-Za-z0-9_.-]/g, '_')}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

/** The folder a backup is written to, and whether this run created it (so may remove it). */
export interface BackupFolder {
  path: string;
  created: boolean;
}

async function kindOf(path: string): Promise<'missing' | 'folder' | 'other'> {
  try {
    return (await lstat(path)).isDirectory() ? 'folder' : 'other';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw fileError(error, path, 'use');
  }
}

/** Does `folder` hold backups: is it one (manifest.json), or has it one a level down? */
async function holdsBackups(folder: string, names: string[]): Promise<boolean> {
  if (names.includes(MANIFEST_FILE)) return true;
  for (const name of names) {
    if ((await kindOf(join(folder, name))) === 'folder' && (await kindOf(join(folder, name, MANIFEST_FILE))) === 'other') return true;
  }
  return false;
}

/**
 * Where `backup create --out <out>` writes:
 * - a path that does not exist: created (0700) and used;
 * - an empty folder: used, and made 0700 (it is about to hold every tenant's data);
 * - a folder that holds backups (the nightly `--out /var/backups/nightly`): a new dated
 *   folder inside it, so the same command line works every night;
 * - anything else (a file, a folder of other things) is refused with a clear error, and so
 *   is a folder another user controls (assertFolderOnlyOurs).
 */
export async function prepareBackupFolder(out: string, database: string, now: Date, dated = false): Promise<BackupFolder> {
  if (dated) {
    await assertFolderOnlyOurs(out, '--dir');
    return { path: await createFreshFolder(out), created: true };
  }
  const kind = await kindOf(out);
  if (kind === 'missing') {
    await assertFolderOnlyOurs(out, '--out');
    await createPrivateDir(out);
    return { path: out, created: true };
  }
  if (kind === 'other') {
    throw new TenantctlError('BACKUP_OUT_NOT_FOLDER', `--out ${printablePath(out)} is a file (or a link), not a folder: a backup is a folder.`, {
      hint: 'Pass a folder path (it is created when missing), or remove the file in the way.',
      details: { out: printablePath(out) },
      exitCode: 2,
    });
  }
  const names = await readdir(out);
  // Before anything is made private or written: another user's folder stays as it was.
  await assertFolderOnlyOurs(out, '--out');
  if (names.length === 0) {
    await chmod(out, PRIVATE_DIR_MODE).catch((error: unknown) => {
      throw fileError(error, out, 'make private');
    });
    return { path: out, created: false };
  }
  if (await holdsBackups(out, names)) return { path: await createFreshFolder(join(out, backupFolderName(database, now))), created: true };
  throw new TenantctlError('BACKUP_OUT_NOT_EMPTY', `--out ${printablePath(out)} already holds files that are not tenantctl backups.`, {
    hint: 'Pick a new or empty folder, or a folder that holds only backups (a new dated backup is then made inside it).',
    details: { out: printablePath(out), entries: names.slice(0, 10) },
    exitCode: 2,
  });
}

/**
 * A new private folder at `path`, made up from the time: created exclusively, so that two runs
 * started in the same second (two cron lines, a retry) never share one; the later takes
 * `path-2`, `path-3` … (the order still sorts by time).
 */
const createFreshFolder = async (path: string): Promise<string> =>
  (await createAtFreeName((n) => (n === 1 ? path : `${path}-${n}`), createPrivateDir)).path;

/** Remove what a failed run wrote: the folder if this run made it, else only its contents. */
export async function discardBackupFolder(folder: BackupFolder): Promise<void> {
  if (folder.created) return rm(folder.path, { recursive: true, force: true });
  for (const name of await readdir(folder.path).catch(() => [] as string[])) await rm(join(folder.path, name), { recursive: true, force: true });
}
