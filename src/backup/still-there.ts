import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fault } from './log.js';
import { readManifest, type Manifest } from './manifest.js';

/**
 * Whether the backup verify has just checked is still the one on disk: its manifest there and
 * unchanged (`fileSha256`, as read at the start), every file it lists still present at its
 * size. A `backup prune` (or a person) can remove the folder while verify restores from it;
 * a verify that then reported OK would record `verify ok` for a backup that no longer exists,
 * and prune would keep trusting the log. Checked last, just before the outcome is recorded.
 */
export async function removedDuringCheck(folder: string, manifest: Manifest, fileSha256: string): Promise<Fault | undefined> {
  const removed = (what: string): Fault => ({ check: 'files', object: folder, message: `the backup was removed during the check (${what}): it can no longer be restored, so it is not reported as verified` });
  let now: Awaited<ReturnType<typeof readManifest>>;
  try {
    now = await readManifest(folder);
  } catch {
    return removed('manifest.json is gone or unreadable');
  }
  if (now.fileSha256 !== fileSha256) return removed('manifest.json was replaced');
  const gone: string[] = [];
  for (const file of manifest.files) {
    const size = await stat(join(folder, file.path)).then((s) => s.size, () => undefined);
    if (size !== file.bytes) gone.push(file.path);
  }
  return gone.length ? removed(`${gone.length} of its files are gone or changed in size, first ${gone[0]}`) : undefined;
}
