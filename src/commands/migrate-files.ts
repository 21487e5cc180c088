import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { Io } from '../context.js';
import { PACKAGE_ROOT } from '../db/queries.js';
import type { Migration, ParseOptions } from '../migrate/files.js';
import type { ProfileFolders } from '../migrate/layout.js';
import { writeErr } from '../output/emit.js';

/** The flags that say where migration files are. */
export interface FolderOptions {
  migrationsDir?: string;
  sharedDir?: string;
  tenantDir?: string;
}

/** The platform schema shipped with tenantctl, unless --migrations-dir / TENANTCTL_MIGRATIONS_DIR say otherwise. */
export function migrationsDir(io: Io, flag?: string): string {
  return resolve(io.cwd, flag ?? io.env.TENANTCTL_MIGRATIONS_DIR ?? `${PACKAGE_ROOT}migrations`);
}

/** --migrations-dir, --shared-dir, --tenant-dir. */
export function addFolderFlags(command: Command): Command {
  return command
    .option('--migrations-dir <dir>', 'folder with shared/ and tenant/ migration files, or a flat dbmate folder (= shared scope) (default: the platform schema shipped with tenantctl)')
    .option('--shared-dir <dir>', 'folder of the shared (public) migrations, e.g. a dbmate db/migrations')
    .option('--tenant-dir <dir>', 'folder of the per-tenant migrations');
}

/**
 * Load the migrations the flags point at; without --shared-dir / --tenant-dir, the profile's
 * folders under the migrations dir (or a flat dbmate folder as the shared scope). What was skipped or ignored (stray files,
 * commented-out files, unknown marker options) goes to stderr as warnings: not fatal, not silent.
 * @param parse `lazy`: sections are split and linted when first read (files.ts) @default eager
 */
export async function loadMigrationsFor(io: Io, options: FolderOptions, folders?: ProfileFolders, parse: ParseOptions = {}): Promise<{ shared: Migration[]; tenant: Migration[] }> {
  const at = (dir?: string) => (dir === undefined ? undefined : resolve(io.cwd, dir));
  // The files' reader and linter load when a command reads migrations, not when flags are registered.
  const { loadAllMigrations } = await import('../migrate/files.js');
  const files = await loadAllMigrations(migrationsDir(io, options.migrationsDir), folders, { sharedDir: at(options.sharedDir), tenantDir: at(options.tenantDir) }, parse);
  for (const warning of files.warnings) writeErr(io, `warning: ${warning}`);
  return files;
}
