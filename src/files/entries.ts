import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A folder entry as what it leads to: a symbolic link counts as its target. */
export interface FollowedEntry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
  /** A symbolic link that leads nowhere (its target is missing, or a mount is being updated). */
  dangling: boolean;
}

/**
 * The entries of `dir`, symbolic links followed: deploy tools present files and folders as
 * links (a Kubernetes ConfigMap mount, a release folder), and a link to a migration is that
 * migration. A dangling link is neither a file nor a folder. Throws what readdir throws.
 */
export async function entriesFollowingLinks(dir: string): Promise<FollowedEntry[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return Promise.all(entries.map(async (e) => {
    if (!e.isSymbolicLink()) return { name: e.name, isFile: e.isFile(), isDirectory: e.isDirectory(), dangling: false };
    const target = await stat(join(dir, e.name)).catch(() => undefined);
    return { name: e.name, isFile: target?.isFile() ?? false, isDirectory: target?.isDirectory() ?? false, dangling: target === undefined };
  }));
}
