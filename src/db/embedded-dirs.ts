import { chmod, lstat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { TenantctlError } from '../errors.js';
import { ensurePrivateDir, printablePath } from '../files/private.js';

/**
 * The embedded server's folders hold its password file, its state (which server, which
 * passfile) and the cluster's data. A folder another local user controls could aim them
 * elsewhere (a planted link) or read them, and tenantctl often runs as root: so each one must
 * be a real folder (never a link), owned by us or by the user the server runs as, and closed
 * to group and others.
 */

function unsafeDir(dir: string, what: string, problem: string, hint: string): TenantctlError {
  return new TenantctlError('EMBEDDED_UNSAFE_DIR', `Refusing to use ${printablePath(dir)} as the embedded server's ${what}: ${problem}. Nothing was written.`, {
    hint,
    details: { path: printablePath(dir), what },
  });
}

/**
 * Check a folder of the embedded server, if it exists.
 * @param owners uids that may own it: ours, and the server's when it runs as another user
 * @param tighten a folder of ours that only others may READ is closed (0700) instead of refused:
 *   older versions made `.tenantctl` with the umask (0755), and no one else can have written to it
 * @returns false when the folder does not exist
 */
export async function checkEmbeddedDir(dir: string, what: string, owners: number[], tighten = false): Promise<boolean> {
  const found = await lstat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw unsafeDir(dir, what, `it cannot be read (${error.code ?? error.message})`, 'Check the path and its permissions.');
  });
  if (!found) return false;
  if (found.isSymbolicLink()) throw unsafeDir(dir, what, 'it is a symbolic link', `Remove the link (rm ${printablePath(dir)}) or set TENANTCTL_HOME to a folder of your own; tenantctl never follows links for its own files.`);
  if (!found.isDirectory()) throw unsafeDir(dir, what, 'it is not a folder', 'Remove what is in the way, or set TENANTCTL_HOME to another folder.');
  if (!owners.includes(found.uid)) throw unsafeDir(dir, what, `it belongs to another user (uid ${found.uid})`, 'Someone else may control it: set TENANTCTL_HOME to a folder of your own, or remove it.');
  const open = found.mode & 0o077;
  if (open === 0) return true;
  if (tighten && (open & 0o022) === 0 && found.uid === userInfo().uid) {
    await chmod(dir, 0o700);
    return true;
  }
  throw unsafeDir(dir, what, `other users can ${open & 0o022 ? 'write to' : 'read'} it (mode ${(found.mode & 0o777).toString(8)})`, `Check what is in it, then close it (chmod 700 ${printablePath(dir)}), or remove it and start over.`);
}

/** The home folder (`.tenantctl`): checked if it exists, else created 0700. */
export async function prepareEmbeddedHome(home: string): Promise<void> {
  if (await checkEmbeddedDir(home, 'home folder', [userInfo().uid], true)) return;
  await ensurePrivateDir(home);
}
