/**
 * The files one chunk's pg_dump wrote: made private and hashed in one pass, as soon as the
 * chunk is dumped, so that the hashing of a chunk runs while the next chunks are dumped
 * instead of after all of them. Each file is opened once: its mode is checked (and fixed)
 * through the handle, then it is hashed (sha256OfHandle).
 */
import { constants } from 'node:fs';
import { chmod, lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../files/private.js';
import { hashEach, sha256OfHandle, type FileEntry } from './manifest.js';

/** Files in flight at once: small files are dominated by open/close, which overlap well. */
const AT_ONCE = 16;

/**
 * Every file under `relative` (a file or a folder, inside `root`), `/`-separated and relative
 * to `root`; the folders on the way are made 0700. Symlinks are neither followed
 * nor listed: pg_dump writes none.
 */
async function archiveFiles(root: string, relative: string): Promise<string[]> {
  const info = await lstat(join(root, relative));
  if (info.isFile()) return [relative];
  if (!info.isDirectory()) return [];
  await chmod(join(root, relative), PRIVATE_DIR_MODE);
  const files: string[] = [];
  for (const entry of await readdir(join(root, relative), { withFileTypes: true })) {
    const path = `${relative}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await archiveFiles(root, path)));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

/** Make one file 0600 (pg_dump runs under umask 0077 already: this is the second lock on the door) and hash it. */
async function privateFileHash(path: string, buffer: Buffer): Promise<{ bytes: number; sha256: string }> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    if (((await handle.stat()).mode & 0o777) !== PRIVATE_FILE_MODE) await handle.chmod(PRIVATE_FILE_MODE);
    return await sha256OfHandle(handle, buffer);
  } finally {
    await handle.close();
  }
}

/**
 * Make the archive at `relative` (inside the backup folder `root`) private, files 0600 and
 * folders 0700, and return its files with their size and sha256, paths relative to `root`.
 */
export async function sealArchive(root: string, relative: string): Promise<FileEntry[]> {
  return hashEach(await archiveFiles(root, relative), AT_ONCE, (path, buffer) => privateFileHash(join(root, path), buffer));
}
