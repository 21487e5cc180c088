import { readdir, realpath } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import { EXIT, TenantctlError } from '../errors.js';
import type { Manifest } from './manifest.js';

/** How many paths are resolved at once (realpath is one system call per path component). */
const PARALLEL = 32;

/** Why `path` may not be read as part of a backup's folder, judged by its text alone. */
function lexicalFault(path: unknown): string | undefined {
  if (typeof path !== 'string' || path === '') return 'is not a path';
  if (path.includes('\0')) return 'holds a NUL byte';
  if (isAbsolute(path) || path.startsWith('/') || path.startsWith('\\')) return 'is absolute';
  if (path.split(/[/\\]/).includes('..')) return 'climbs out with ".."';
  return undefined;
}

/**
 * Every path the manifest names (chunks[].path, files[].path) must lie inside the backup
 * folder: relative, no `..`, and, where it exists, not through a symlink that leads out.
 * The seal is a sha256 of the manifest's own body, which anyone can recompute, so a manifest
 * edited to name `../../../tmp/evil.dump` would otherwise make verify and restore-tenant read
 * (and pg_restore restore) a file of the attacker's choosing. A path that does not exist is
 * left to the files check, which reports it missing.
 */
export async function assertPathsInside(folder: string, manifest: Pick<Manifest, 'chunks' | 'files'>, manifestPath: string): Promise<void> {
  const named = [...manifest.chunks.map((c, i) => ({ field: `chunks[${i}].path`, path: c.path })), ...manifest.files.map((f, i) => ({ field: `files[${i}].path`, path: f.path }))];
  for (const { field, path } of named) {
    const fault = lexicalFault(path);
    if (fault) throw outside(manifestPath, field, path, fault);
  }
  const root = await realpath(folder);
  for (let i = 0; i < named.length; i += PARALLEL) {
    await Promise.all(
      named.slice(i, i + PARALLEL).map(async ({ field, path }) => {
        const real = await realpath(join(folder, path)).catch((error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
          throw error;
        });
        if (real !== undefined && real !== root && !real.startsWith(root + sep)) throw outside(manifestPath, field, path, `leads through a symlink to ${real}`);
      }),
    );
  }
  // pg_restore opens a directory archive's data files by the names in its toc.dat, listed in
  // files[] or not: a symlink slipped in beside them must not lead out either.
  for (const [i, chunk] of manifest.chunks.entries()) {
    const entries = await readdir(join(folder, chunk.path), { withFileTypes: true }).catch(() => []);
    for (const entry of entries.filter((e) => e.isSymbolicLink())) {
      const inner = `${chunk.path}/${entry.name}`;
      const real = await realpath(join(folder, inner)).catch(() => undefined);
      if (real === undefined || !real.startsWith(root + sep)) throw outside(manifestPath, `a file of chunks[${i}]`, inner, `is a symlink leading to ${real ?? 'nowhere'}`);
    }
  }
}

function outside(manifestPath: string, field: string, path: unknown, why: string): TenantctlError {
  return new TenantctlError('BACKUP_PATH_OUTSIDE', `${manifestPath} names ${JSON.stringify(path)} as ${field}, which ${why}: a backup's manifest may only name files inside its own folder. Nothing was read from it.`, {
    hint: 'This manifest was edited (and re-sealed) to point elsewhere; do not trust this backup. Verify or restore from another one.',
    details: { field, path },
    exitCode: EXIT.usage,
  });
}
