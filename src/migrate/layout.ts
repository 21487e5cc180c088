import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EXIT, TenantctlError } from '../errors.js';

/** `--shared-dir` / `--tenant-dir`: name each scope's folder outright (already resolved to absolute paths). */
export interface FolderFlags {
  sharedDir?: string;
  tenantDir?: string;
}

/** Where each scope's files live; a scope without a folder has no migrations. */
export interface Folders {
  /** split: `<dir>/shared` + `<dir>/tenant` (tenantctl); flat: `<dir>` is the shared scope (dbmate's db/migrations); explicit: the flags. */
  layout: 'split' | 'flat' | 'explicit';
  shared?: string;
  tenant?: string;
}

/** dbmate's migration file rule, repeated here so layout detection needs no parser. */
const MIGRATION_NAME = /^\d+.*\.sql$/;

function layoutError(message: string, hint: string, details: Record<string, unknown>): TenantctlError {
  return new TenantctlError('MIGRATIONS_LAYOUT', message, { hint, details, exitCode: EXIT.usage });
}

async function entriesOf(dir: string, flag: string): Promise<{ dirs: Set<string>; migrationFiles: string[] }> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return {
      dirs: new Set(entries.filter((e) => e.isDirectory()).map((e) => e.name)),
      migrationFiles: entries.filter((e) => e.isFile() && MIGRATION_NAME.test(e.name)).map((e) => e.name).sort(),
    };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw layoutError(`Migrations folder ${dir} (${flag}) does not exist or is not a folder.`, 'Check the path; it is resolved from the current directory.', { dir });
    }
    throw error;
  }
}

/**
 * Decide which folders hold the shared and the tenant migrations. Never a silent no-op: a
 * folder that holds migration files tenantctl would not run, or none at all, is an error.
 * - `--shared-dir` / `--tenant-dir` given: exactly those (either may be left out).
 * - `<dir>` has `shared/` or `tenant/`: tenantctl's layout. Loose migration files beside them
 *   would never run, so they are an error, not ignored.
 * - `<dir>` holds migration files itself (a dbmate `db/migrations`): they are the shared scope.
 */
export async function resolveFolders(dir: string, flags: FolderFlags = {}): Promise<Folders> {
  if (flags.sharedDir || flags.tenantDir) {
    if (flags.sharedDir) await entriesOf(flags.sharedDir, '--shared-dir');
    if (flags.tenantDir) await entriesOf(flags.tenantDir, '--tenant-dir');
    return { layout: 'explicit', shared: flags.sharedDir, tenant: flags.tenantDir };
  }
  const { dirs, migrationFiles } = await entriesOf(dir, '--migrations-dir');
  const split = dirs.has('shared') || dirs.has('tenant');
  if (split && migrationFiles.length) {
    throw layoutError(
      `${dir} has shared/ or tenant/ folders AND ${migrationFiles.length} migration file(s) at its top level (${migrationFiles.slice(0, 3).join(', ')}${migrationFiles.length > 3 ? ', …' : ''}); tenantctl would never run the top-level files.`,
      'Move them into shared/ (the public schema) or tenant/ (every tenant schema), or name the folders with --shared-dir and --tenant-dir.',
      { dir, files: migrationFiles },
    );
  }
  if (split) return { layout: 'split', shared: join(dir, 'shared'), tenant: join(dir, 'tenant') };
  if (migrationFiles.length) return { layout: 'flat', shared: dir };
  throw layoutError(
    `${dir} holds no migrations: neither shared/ nor tenant/ folders, nor files named like 20240101120000_create_users.sql.`,
    'Point --migrations-dir at a dbmate folder (db/migrations) or at a folder with shared/ and tenant/; or use --shared-dir / --tenant-dir.',
    { dir },
  );
}

/** The folder `migrate new` writes a scope's file to: the flat folder itself for a dbmate folder (shared only), else `<dir>/<scope>`. */
export async function folderForNew(dir: string, scope: 'shared' | 'tenant'): Promise<string> {
  const flat = await resolveFolders(dir).then((f) => f.layout === 'flat', () => false);
  if (!flat) return join(dir, scope);
  if (scope === 'tenant') {
    throw layoutError(`${dir} is a flat dbmate folder: its files are the shared scope, so a tenant migration has no place in it.`, 'Pass --scope shared, or keep tenant migrations in their own folder and give it with --tenant-dir.', { dir });
  }
  return dir;
}
