import type { Dirent } from 'node:fs';
import { readdir, realpath, rm, rmdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, sep } from 'node:path';
import { MANIFEST_FILE, type Manifest } from './manifest.js';

/**
 * The folders under a backups root that may be backups: each sub-folder, and each folder one
 * level inside a backup. The nightly `backup create --out <folder>` writes the first night's
 * backup into the folder itself and every later night's into a dated folder inside it, so a
 * backup may hold newer backups; they are backups of their own, to keep or prune on their own.
 */
export async function candidateFolders(root: string): Promise<{ path: string; nested: string[]; root?: true }[]> {
  const entries = await readdir(root, { withFileTypes: true });
  // --dir may name the nightly folder itself: then it is the first night's backup, holding
  // the later ones, and its other folders are its own files (chunks/), not backups.
  if (hasManifest(entries)) {
    const nested = await nestedBackups(root, entries);
    return [{ path: root, nested, root: true }, ...nested.map((inner) => ({ path: inner, nested: [] }))];
  }
  const folders: { path: string; nested: string[] }[] = [];
  for (const name of entries.filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    const path = join(root, name);
    const nested = await nestedBackups(path);
    folders.push({ path, nested }, ...nested.map((inner) => ({ path: inner, nested: [] })));
  }
  return folders;
}

/** Is a folder with these entries a backup (its manifest.json)? */
const hasManifest = (entries: readonly Dirent[]): boolean => entries.some((e) => e.name === MANIFEST_FILE && e.isFile());

/** The backups directly inside a backup folder (none when the folder is not one). `entries`: the folder's, when already read. */
async function nestedBackups(folder: string, entries?: Dirent[]): Promise<string[]> {
  const found = entries ?? (await readdir(folder, { withFileTypes: true }).catch(() => []));
  if (!hasManifest(found)) return [];
  const nested: string[] = [];
  for (const e of found.filter((e) => e.isDirectory())) {
    if (hasManifest(await readdir(join(folder, e.name), { withFileTypes: true }).catch(() => []))) nested.push(join(folder, e.name));
  }
  return nested.sort();
}

/**
 * Delete a backup. A folder that holds only the backup goes whole. One that holds newer
 * backups (the nightly layout), or is the folder --dir names (`keepFolder`: the next night
 * writes into it), loses only the files its manifest lists, the manifest, and the folders
 * those leave empty: the backups inside it, and anything it does not list, stay.
 */
export async function removeBackup(folder: string, manifest: Pick<Manifest, 'files'>, nested: readonly string[], keepFolder = false): Promise<void> {
  if (nested.length === 0 && !keepFolder) {
    await rm(folder, { recursive: true, force: true });
    return;
  }
  const root = await realpath(folder);
  for (const file of manifest.files) {
    const relative = normalize(file.path);
    // A listed path that would lead out of the folder (a hand-made manifest, or a folder in it
    // that is a link to elsewhere) is not followed: only files really inside the backup go.
    if (isAbsolute(relative) || relative === '..' || relative.startsWith(`..${sep}`)) continue;
    const path = join(folder, relative);
    const parent = await realpath(dirname(path)).catch(() => null);
    if (parent === null || (parent !== root && !parent.startsWith(`${root}${sep}`))) continue;
    await rm(path, { force: true });
  }
  await rm(join(folder, MANIFEST_FILE), { force: true });
  await removeEmptyFolders(folder, true);
}

/** Remove the empty folders under `folder` (bottom up), and `folder` itself unless it is the top. */
async function removeEmptyFolders(folder: string, top: boolean): Promise<void> {
  for (const e of (await readdir(folder, { withFileTypes: true })).filter((e) => e.isDirectory())) await removeEmptyFolders(join(folder, e.name), false);
  if (!top && (await readdir(folder)).length === 0) await rmdir(folder);
}
