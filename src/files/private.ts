import { type Stats, constants, createWriteStream, fstatSync, type WriteStream } from 'node:fs';
import { chmod, link, lstat, mkdir, mkdtemp, open, realpath, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { basename, dirname, join, resolve } from 'node:path';
import { TenantctlError } from '../errors.js';
import { shownControl } from '../output/terminal-safe.js';

/**
 * Files that hold tenant data (exports, rejects, archives, dumps, manifests) are written so
 * that no other local user can read them or aim them elsewhere:
 * - folders tenantctl creates are 0700; a folder given by the user is used as it is, but a
 *   symlink or non-folder in its place is refused;
 * - files are created under a private random name in the destination folder with
 *   O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600, then renamed into place. rename() replaces a
 *   symlink at the target (it never writes through it), and a crash leaves only the hidden
 *   temporary name, never a half-written file under the real one;
 * - a FIFO, character device or socket already at the path (`/dev/null`, `/dev/stdout`, a
 *   named pipe a reader waits on) is written straight into: renaming a file over it would
 *   take it away from whoever uses it (as root, from the whole system).
 */

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Say what went wrong with a path, where, and what to do; never a raw errno stack. */
export function fileError(error: unknown, path: string, action: string): TenantctlError {
  const code = (error as NodeJS.ErrnoException)?.code ?? 'UNKNOWN';
  const hints: Record<string, string> = {
    ENOENT: 'Create the folder first, or choose a path in an existing folder.',
    EACCES: 'Choose a folder you can write to, or fix its permissions.',
    EPERM: 'Choose a folder you can write to, or fix its permissions.',
    EEXIST: 'Choose another name, or remove what is in the way.',
    ENOTDIR: 'A file stands where a folder is expected: choose another path.',
    EISDIR: 'That is a folder: give a file name inside it.',
    ELOOP: 'A symbolic link stands at that path; tenantctl never writes through links. Remove it or choose another path.',
    ENOSPC: 'The disk is full: free space (or set TMPDIR for temporary files) and run again.',
    EROFS: 'That file system is read-only: choose another folder.',
    ENXIO: 'A socket cannot be opened by name: write to standard output and redirect it instead.',
    ENOTSUP: 'Choose a regular file, a named pipe or a character device (such as /dev/null).',
    EBUSY: 'That is where this command writes its own output: leave the option out (or give -) to write to standard output.',
  };
  return new TenantctlError('FILE_WRITE', `Cannot ${action} ${printablePath(path)}: ${describeErrno(code)}.`, {
    hint: hints[code] ?? 'Check the path and its folder, then run again.',
    details: { path: printablePath(path), errno: code },
    exitCode: code === 'ENOSPC' ? 1 : 2,
    cause: error,
  });
}

function describeErrno(code: string): string {
  const text: Record<string, string> = {
    ENOENT: 'its folder does not exist',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EEXIST: 'something already exists there',
    ENOTDIR: 'a part of the path is not a folder',
    EISDIR: 'it is a folder',
    ELOOP: 'it is a symbolic link',
    ENOSPC: 'no space left on the device',
    EROFS: 'read-only file system',
    ENXIO: 'nothing can be opened there (a socket)',
    ENOTSUP: 'it is a block device (a disk)',
    EBUSY: "it is this command's own standard output or error",
  };
  return text[code] ?? code;
}

/** A path as it may be printed: control characters (terminal escapes) shown escaped, never raw. */
export function printablePath(path: string): string {
  // eslint-disable-next-line no-control-regex
  return path.replace(/[\u0000-\u001f\u007f-\u009f]/g, shownControl);
}

/**
 * Make sure `dir` is a folder, creating missing levels as 0700. An existing folder keeps
 * its mode: it may be the user's shared folder (e.g. /tmp).
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  if (await isFolder(dir)) return;
  try {
    await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    await chmod(dir, PRIVATE_DIR_MODE); // mkdir's mode is filtered by the umask
  } catch (error) {
    throw fileError(error, dir, 'create the folder');
  }
}

/** Create a new private folder that must not exist yet (0700, exclusive). */
export async function createPrivateDir(dir: string): Promise<void> {
  await ensurePrivateDir(dirname(dir));
  try {
    await mkdir(dir, { mode: PRIVATE_DIR_MODE });
    await chmod(dir, PRIVATE_DIR_MODE);
  } catch (error) {
    throw fileError(error, dir, 'create the folder');
  }
}

/**
 * `create` at the first free name among `nameAt(1)`, `nameAt(2)` …: for a name made up from
 * the time (a backup folder, an archive file), which another run of the same second may have
 * taken. `create` must fail as fileError does (errno EEXIST) when the name is taken; after 100
 * taken names the last error stands.
 */
export async function createAtFreeName<T>(nameAt: (n: number) => string, create: (path: string) => Promise<T>): Promise<{ path: string; made: T }> {
  for (let n = 1; ; n += 1) {
    const path = nameAt(n);
    try {
      return { path, made: await create(path) };
    } catch (error) {
      if ((error as { details?: { errno?: string } }).details?.errno !== 'EEXIST' || n >= 100) throw error;
    }
  }
}

/**
 * A folder tenantctl owns inside a folder the user gave (an archive's per-schema folder):
 * created 0700 when missing; an existing one must be a real folder of ours, never a link
 * (lstat, not stat: a link planted there would send the files elsewhere), nor someone else's.
 */
export async function ensureOwnSubdir(dir: string): Promise<void> {
  const found = await lstat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw fileError(error, dir, 'use the folder');
  });
  if (found?.isSymbolicLink()) throw fileError(Object.assign(new Error('link'), { code: 'ELOOP' }), dir, 'use the folder');
  if (found && !found.isDirectory()) throw fileError(Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }), dir, 'use the folder');
  if (found && process.getuid && found.uid !== process.getuid()) throw fileError(Object.assign(new Error('not ours'), { code: 'EPERM' }), dir, 'use the folder (it belongs to another user)');
  if (found) return;
  try {
    // mkdir never follows a link at its own name: one planted meanwhile fails with EEXIST.
    await mkdir(dir, { mode: PRIVATE_DIR_MODE });
    await chmod(dir, PRIVATE_DIR_MODE);
  } catch (error) {
    throw fileError(error, dir, 'create the folder');
  }
}

/** Every level of `path` from the root down (absolute, as given or as resolved). */
function levels(path: string): string[] {
  const all: string[] = [];
  for (let p = path; ; p = dirname(p)) {
    all.unshift(p);
    if (dirname(p) === p) return all;
  }
}

/**
 * A folder that tenantctl fills with several files and folders of tenant data (a tenant
 * export, a backup, retention archives) must not be one another local user can rearrange
 * while it writes: whoever owns a folder on the path (or can write to one that has no
 * sticky bit) can rename a subfolder tenantctl just made and put a link in its place, so
 * that the next files land, under their fixed names, wherever the link points (tenantctl
 * often runs as root). So every level of the path, as given and as resolved, must belong
 * to us or to root, and no folder on it may be writable by group or others unless it is
 * sticky (/tmp). A folder that does not exist yet is judged by the levels that do: call it
 * before creating anything.
 */
export async function assertFolderOnlyOurs(dir: string, flag: string): Promise<void> {
  const uid = process.getuid?.();
  if (uid === undefined) return; // no owners to compare (Windows)
  let existing = resolve(dir);
  while (!(await lstat(existing).then(() => true, () => false)) && dirname(existing) !== existing) existing = dirname(existing);
  let real: string;
  try {
    real = await realpath(existing);
  } catch (error) {
    throw fileError(error, dir, 'use the folder');
  }
  for (const level of new Set([...levels(existing), ...levels(real)])) {
    const found = await lstat(level).catch((error: unknown) => {
      throw fileError(error, level, 'use the folder');
    });
    const problem = found.uid !== uid && found.uid !== 0 ? `belongs to another user (uid ${found.uid})`
      : found.isDirectory() && (found.mode & 0o022) !== 0 && (found.mode & 0o1000) === 0 ? `can be written by other users (mode ${(found.mode & 0o777).toString(8)}, no sticky bit)`
      : undefined;
    if (!problem) continue;
    const which = level === resolve(dir) ? 'it' : printablePath(level);
    throw new TenantctlError('FOLDER_NOT_PRIVATE', `Refusing to write into ${printablePath(dir)}: ${which} ${problem}. Another user could swap what tenantctl creates there for a link and aim the files elsewhere. Nothing was written.`, {
      hint: `Give ${flag} a folder on a path that only you (or root) control, e.g. a new folder under your home or /tmp.`,
      details: { path: printablePath(dir), level: printablePath(level), uid: found.uid, mode: (found.mode & 0o7777).toString(8) },
      exitCode: 2,
    });
  }
}

/** A file being written under a temporary name, put in place by `commit()`. */
export interface StagedFile {
  /** Where the bytes go until commit. */
  readonly stream: WriteStream;
  /** The final path. */
  readonly path: string;
  /** True when the bytes go straight to `path` (a FIFO or device): nothing is staged beside it. */
  readonly inPlace: boolean;
  /** Flush, close and rename into place. `overwrite: false` fails if the final path exists. */
  commit(): Promise<void>;
  /** Close and delete the temporary file; the final path is untouched. Safe in any state of the stream. */
  abort(): Promise<void>;
}

/**
 * Open a private (0600) temporary file beside `path` for writing; nothing appears under
 * `path` until `commit()`. A FIFO, character device or socket at `path` is written in place
 * instead (see `openInPlace`).
 * @param options.overwrite replace an existing file at `path` on commit @default true
 */
export async function stageFile(path: string, options: { overwrite?: boolean } = {}): Promise<StagedFile> {
  const overwrite = options.overwrite ?? true;
  const dir = dirname(path);
  // The folder of a file must exist: creating /nonexistent/dir for a typo is no favour.
  if (!(await isFolder(dir))) throw fileError(Object.assign(new Error('missing'), { code: 'ENOENT' }), path, 'write');
  if (!overwrite) await mustNotExist(path);
  else {
    const found = await lstat(path).catch(() => undefined);
    // A folder at the path would only fail at the rename, after all the work: say so now.
    if (found?.isDirectory()) throw fileError(Object.assign(new Error('folder'), { code: 'EISDIR' }), path, 'write');
    const special = found && (await specialAt(path, found));
    if (special) return openInPlace(path, special === 'through link');
  }
  const temp = join(dir, `.${basename(path).slice(0, 100)}.${randomBytes(6).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, PRIVATE_FILE_MODE);
    await handle.chmod(PRIVATE_FILE_MODE);
  } catch (error) {
    await handle?.close();
    throw fileError(error, path, 'write');
  }
  const stream = createWriteStream(temp, { fd: handle, autoClose: true, highWaterMark: 1 << 20 });
  const discard = () => rm(temp, { force: true });
  return settledOnce(stream, path, false, discard, async () => {
    try {
      if (overwrite) await rename(temp, path);
      else {
        // link() fails with EEXIST atomically, where rename() would replace a file that appeared meanwhile.
        await link(temp, path);
        await unlink(temp);
      }
    } catch (error) {
      await discard();
      throw fileError(error, path, 'write');
    }
  });
}

/**
 * A StagedFile over `stream`: commit and abort each run once, whatever is called after.
 * commit closes the stream, then `place`s the file (or, when writing failed, `discard`s it and
 * throws); abort destroys the stream and `discard`s.
 */
function settledOnce(stream: WriteStream, path: string, inPlace: boolean, discard: () => Promise<void>, place: () => Promise<void>): StagedFile {
  let settled = false;
  return {
    stream,
    path,
    inPlace,
    async commit() {
      if (settled) return;
      settled = true;
      await closeStream(stream);
      if (stream.errored) {
        await discard();
        throw fileError(stream.errored, path, 'write');
      }
      await place();
    },
    async abort() {
      if (settled) return;
      settled = true;
      await destroyStream(stream);
      await discard();
    },
  };
}

const isSpecial = (s: Stats): boolean => s.isFIFO() || s.isCharacterDevice() || s.isSocket();

/**
 * Is what stands at `path` (lstat: `found`) one to write in place: 'here' for a FIFO, device or
 * socket itself, 'through link' for a link to one that we or root made (`/dev/stdout` →
 * `/proc/self/fd/1` → a pipe or terminal)? A link another user could have planted is never
 * followed: it is replaced, as a link to a regular file always is. A block device is refused:
 * an export is never poured onto a disk, nor is the disk's name taken away.
 */
async function specialAt(path: string, found: Stats): Promise<'here' | 'through link' | undefined> {
  const refuse = (s: Stats): void => {
    if (s.isBlockDevice()) throw fileError(Object.assign(new Error('block device'), { code: 'ENOTSUP' }), path, 'write');
  };
  refuse(found);
  // A pipe or device another user made (a FIFO in /tmp whose reader is theirs) is never written
  // into: it is replaced, as another user's link is. Ours, or root's (/dev/null), is.
  const trusted = (uid: number): boolean => uid === process.getuid?.() || uid === 0;
  if (isSpecial(found)) return trusted(found.uid) ? 'here' : undefined;
  if (!found.isSymbolicLink() || !trusted(found.uid)) return undefined;
  const target = await stat(path).catch(() => undefined);
  if (!target) return undefined;
  refuse(target);
  // `/dev/stdout` when it is a file (a shell redirect) or a socket (a Node parent, systemd):
  // it cannot be opened by name, and renaming over it would replace the system's link.
  if ((target.isFile() || target.isSocket()) && (sameFile(target, 1) || sameFile(target, 2))) {
    throw fileError(Object.assign(new Error('standard stream'), { code: 'EBUSY' }), path, 'write');
  }
  return isSpecial(target) && trusted(target.uid) ? 'through link' : undefined;
}

/** Is `s` the file open as `fd` in this process? */
function sameFile(s: Stats, fd: number): boolean {
  try {
    const open = fstatSync(fd);
    return open.dev === s.dev && open.ino === s.ino;
  } catch {
    return false; // fd not open
  }
}

/**
 * Does `path` (links followed) name the file open as `fd`: is `--out /dev/stdout` (or any
 * other name for it) this process's own standard output, whatever that is (a terminal, a
 * pipe, a socket, the file a shell redirected it to)? Then the caller writes to its stream.
 */
export async function isOpenAs(path: string, fd: number | undefined): Promise<boolean> {
  if (fd === undefined) return false;
  const found = await stat(path).catch(() => undefined);
  return found !== undefined && sameFile(found, fd);
}

/**
 * Write straight into the FIFO or device at `path`: no temporary file, no rename, no chmod
 * (they are not ours to change). O_CREAT is left out, so a name that vanished meanwhile is an
 * error, never a new file; fstat checks that what got opened is still a FIFO or device.
 */
async function openInPlace(path: string, throughLink: boolean): Promise<StagedFile> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, constants.O_WRONLY | constants.O_NOCTTY | (throughLink ? 0 : constants.O_NOFOLLOW));
    if (!isSpecial(await handle.stat())) throw Object.assign(new Error('replaced meanwhile'), { code: 'EEXIST' });
  } catch (error) {
    await handle?.close();
    throw fileError(error, path, 'write');
  }
  const stream = createWriteStream(path, { fd: handle, autoClose: true, highWaterMark: 1 << 20 });
  // Nothing to put in place or to remove: the bytes went where they were going.
  const nothing = async (): Promise<void> => undefined;
  return settledOnce(stream, path, true, nothing, nothing);
}

/** End the stream and wait until its file is closed (at once when it already is). */
async function closeStream(stream: WriteStream): Promise<void> {
  if (stream.closed) return;
  const closed = once(stream, 'close').catch(() => undefined);
  stream.end();
  await closed;
}

/**
 * Destroy the stream and wait until its file is closed. A stream that has already closed
 * (ended and finished before a later step failed) emits no second 'close': waiting for one
 * would hang the command forever.
 */
async function destroyStream(stream: WriteStream): Promise<void> {
  if (stream.closed) return;
  const closed = once(stream, 'close').catch(() => undefined);
  stream.destroy();
  await closed;
}

/** Write a whole private file (0600) atomically: temporary name, then rename. */
export async function writePrivateFile(path: string, data: string | Uint8Array, options: { overwrite?: boolean } = {}): Promise<void> {
  const staged = await stageFile(path, options);
  try {
    await new Promise<void>((done, fail) => staged.stream.write(data, (error) => (error ? fail(error) : done())));
  } catch (error) {
    await staged.abort();
    throw fileError(error, path, 'write');
  }
  await staged.commit();
}

async function mustNotExist(path: string): Promise<void> {
  try {
    await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw fileError(error, path, 'write');
  }
  throw fileError(Object.assign(new Error('exists'), { code: 'EEXIST' }), path, 'write');
}

/** Is `dir` an existing folder (links to folders count)? Anything else in its place is an error. */
async function isFolder(dir: string): Promise<boolean> {
  try {
    if ((await stat(dir)).isDirectory()) return true;
    throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw fileError(error, dir, 'use the folder');
  }
}

/**
 * A new private folder with a random name under `parent` (0700, as mkdtemp makes it), for
 * spool files that live only as long as one command.
 */
export async function makePrivateTempDir(parent: string, prefix: string): Promise<string> {
  try {
    return await mkdtemp(join(parent, prefix));
  } catch (error) {
    throw fileError(error, parent, 'create a temporary folder in');
  }
}

/**
 * Create a new private file (0600) for appending, exclusively: it must not exist, and a link
 * planted at its name is refused (O_EXCL|O_NOFOLLOW). For files that are written in steps
 * that must each reach the disk under the final name (maintain's retention archives).
 */
export async function createAppendOnlyFile(path: string): Promise<FileHandle> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW | constants.O_APPEND, PRIVATE_FILE_MODE);
    await handle.chmod(PRIVATE_FILE_MODE); // open's mode is filtered by the umask
    return handle;
  } catch (error) {
    await handle?.close();
    throw fileError(error, path, 'create');
  }
}
