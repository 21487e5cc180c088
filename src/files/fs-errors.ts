import { userInfo } from 'node:os';
import { TenantctlError } from '../errors.js';
import { printablePath } from './private.js';

/** What each failure of the file system means, and what to do about it. */
const REASONS: Record<string, { what: string; hint: (path: string) => string }> = {
  EACCES: { what: 'permission denied', hint: (path) => `Check the permissions and owner of ${path} and of the folders above it (ls -ld); tenantctl runs as ${whoRuns()}.` },
  EPERM: { what: 'operation not permitted', hint: (path) => `Check the permissions, owner and attributes of ${path} (ls -ld, lsattr); tenantctl runs as ${whoRuns()}.` },
  EISDIR: { what: 'it is a folder, not a file', hint: () => 'Give the path of a file.' },
  ENOTDIR: { what: 'a part of the path is not a folder', hint: () => 'Check each part of the path.' },
  ELOOP: { what: 'too many symbolic links (a loop?)', hint: (path) => `Check where the links of ${path} lead (readlink -f).` },
  ENAMETOOLONG: { what: 'the name is too long', hint: () => 'Use a shorter path.' },
  ENOSPC: { what: 'no space left on the device', hint: () => 'Free space on that disk (df -h), or write elsewhere.' },
  EDQUOT: { what: 'disk quota exceeded', hint: () => 'Free space within your quota, or write elsewhere.' },
  EROFS: { what: 'the file system is read-only', hint: () => 'Write to a folder on a writable file system.' },
  EMFILE: { what: 'too many open files', hint: () => 'Raise the open-file limit (ulimit -n) and run again.' },
  ENFILE: { what: 'too many open files on this machine', hint: () => 'Close other programs\' files, or raise the system limit, and run again.' },
  EIO: { what: 'input/output error', hint: () => 'The disk or network file system failed: check the system log (dmesg), then run again.' },
  ENOENT: { what: 'no such file or folder', hint: () => 'Check the path.' },
};

const whoRuns = (): string => {
  try {
    return `user ${userInfo().username}`;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
};

/** The verb of a failed system call, as a person says it. */
const VERBS: Record<string, string> = { open: 'open', read: 'read', write: 'write', scandir: 'list', opendir: 'list', stat: 'look at', lstat: 'look at', mkdir: 'create', rename: 'rename', unlink: 'remove', rmdir: 'remove', rm: 'remove', chmod: 'change the mode of', readlink: 'follow', realpath: 'resolve', copyfile: 'copy', access: 'read' };

/**
 * A failure of the file system that reached the top (an unreadable migration file, an
 * unwritable output folder …) as a TenantctlError that names the path, says why in words and
 * what to do; anything else is returned as it is. Node's own text ("EACCES: permission denied,
 * open '…'") said none of that, and was reported as an unexpected error.
 */
export function explainFileError(error: unknown): unknown {
  const failure = fileFailure(error);
  if (!failure) return error;
  const e = error as NodeJS.ErrnoException & { path: string; syscall: string };
  const path = printablePath(e.path);
  return new TenantctlError('FILE_ACCESS', `Cannot ${VERBS[e.syscall] ?? e.syscall} ${path}: ${failure.what}.`, {
    hint: failure.hint,
    details: { path, code: e.code, syscall: e.syscall },
    cause: error,
  });
}

/** Why a file-system call failed, in words (with the errno name), and what to do; undefined for anything else. */
export function fileFailure(error: unknown): { what: string; hint: string } | undefined {
  const e = error as NodeJS.ErrnoException;
  if (!(error instanceof Error) || typeof e.code !== 'string' || typeof e.path !== 'string' || typeof e.syscall !== 'string') return undefined;
  const reason = REASONS[e.code];
  return reason && { what: `${reason.what} (${e.code})`, hint: reason.hint(printablePath(e.path)) };
}
