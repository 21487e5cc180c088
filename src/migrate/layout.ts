import { entriesFollowingLinks } from '../files/entries.js';
import { join } from 'node:path';
import { EXIT, TenantctlError } from '../errors.js';

/** `--shared-dir` / `--tenant-dir`: name each scope's folder outright (already resolved to absolute paths). */
export interface FolderFlags {
  sharedDir?: string;
  tenantDir?: string;
}

/** The folders a tenancy profile keeps its migrations in, under the migrations dir (commerce: shared/ + tenant/; pooled: e.g. imsop/ and none). */
export interface ProfileFolders {
  shared: string;
  tenant: string | null;
}

const COMMERCE_FOLDERS: ProfileFolders = { shared: 'shared', tenant: 'tenant' };

/** Where each scope's files live; a scope without a folder has no migrations. */
export interface Folders {
  /** split: the profile's folders under `<dir>`, e.g. `<dir>/shared` + `<dir>/tenant` (tenantctl); flat: `<dir>` is the shared scope (dbmate's db/migrations); explicit: the flags. */
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
    const entries = await entriesFollowingLinks(dir);
    return {
      dirs: new Set(entries.filter((e) => e.isDirectory).map((e) => e.name)),
      migrationFiles: entries.filter((e) => e.isFile && MIGRATION_NAME.test(e.name)).map((e) => e.name).sort(),
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
 * - `<dir>` has the profile's folders (`shared/` or `tenant/`; a pooled profile's e.g. `imsop/`):
 *   tenantctl's layout. Loose migration files beside them would never run, so they are an error.
 * - `<dir>` holds migration files itself (a dbmate `db/migrations`): they are the shared scope.
 * @param folders the profile's folder names @default commerce's shared/ + tenant/
 */
export async function resolveFolders(dir: string, flags: FolderFlags = {}, folders: ProfileFolders = COMMERCE_FOLDERS): Promise<Folders> {
  if (flags.tenantDir && folders.tenant === null) {
    throw layoutError('--tenant-dir names per-tenant migrations, but this profile has none: its migrations have one target.', 'Drop --tenant-dir; give the folder with --shared-dir.', { tenantDir: flags.tenantDir });
  }
  if (flags.sharedDir || flags.tenantDir) {
    if (flags.sharedDir) await entriesOf(flags.sharedDir, '--shared-dir');
    if (flags.tenantDir) await entriesOf(flags.tenantDir, '--tenant-dir');
    return { layout: 'explicit', shared: flags.sharedDir, tenant: flags.tenantDir };
  }
  const { dirs, migrationFiles } = await entriesOf(dir, '--migrations-dir');
  const split = dirs.has(folders.shared) || (folders.tenant !== null && dirs.has(folders.tenant));
  const named = [folders.shared, folders.tenant].filter((f): f is string => f !== null).map((f) => `${f}/`).join(' or ');
  if (split && migrationFiles.length) {
    throw layoutError(
      `${dir} has ${named} folders AND ${migrationFiles.length} migration file(s) at its top level (${migrationFiles.slice(0, 3).join(', ')}${migrationFiles.length > 3 ? ', …' : ''}); tenantctl would never run the top-level files.`,
      `Move them into ${named}, or name the folders with --shared-dir and --tenant-dir.`,
      { dir, files: migrationFiles },
    );
  }
  if (split) return { layout: 'split', shared: join(dir, folders.shared), tenant: folders.tenant === null ? undefined : join(dir, folders.tenant) };
  if (migrationFiles.length) return { layout: 'flat', shared: dir };
  throw layoutError(
    `${dir} holds no migrations: no ${named} folder, nor files named like 20240101120000_create_users.sql.`,
    `Point --migrations-dir at a dbmate folder (db/migrations) or at a folder with ${named}; or use --shared-dir / --tenant-dir.`,
    { dir },
  );
}

/**
 * The folder `migrate new` writes a scope's file to: the flat folder itself for a dbmate folder
 * (shared only), else `<dir>/<folder>`, the profile's folder for that scope.
 */
export async function folderForNew(dir: string, scope: 'shared' | 'tenant', folder: string = scope): Promise<string> {
  // Any tenantctl folder beside the files (the profile's, or shared/ tenant/) means the split layout.
  const names: ProfileFolders = { ...COMMERCE_FOLDERS, [scope]: folder };
  const flat = await resolveFolders(dir, {}, names).then((f) => f.layout === 'flat', () => false);
  if (!flat) return join(dir, folder);
  if (scope === 'tenant') {
    throw layoutError(`${dir} is a flat dbmate folder: its files are the shared scope, so a tenant migration has no place in it.`, 'Pass --scope shared, or keep tenant migrations in their own folder and give it with --tenant-dir.', { dir });
  }
  return dir;
}
