import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TenantctlError } from '../errors.js';
import { entriesFollowingLinks } from '../files/entries.js';
import { resolveFolders, type FolderFlags, type ProfileFolders } from './layout.js';
import { lintSection } from './lint.js';
import { splitStatements, type Statement } from './split.js';

/** Which schemas a migration is for: the shared `public` schema, or every tenant schema. */
export type MigrationScope = 'shared' | 'tenant';

/** One direction of a migration file. */
export interface MigrationSection {
  sql: string;
  /** Offset of `sql` in the file, so that a server error position maps to file:line:column. */
  offset: number;
  statements: Statement[];
  /** false for `-- migrate:up transaction:false` (CREATE INDEX CONCURRENTLY and friends). */
  transaction: boolean;
}

/** A parsed migration file. */
export interface Migration {
  scope: MigrationScope;
  version: string;
  name: string;
  file: string;
  path: string;
  /** sha256 of the file with CRLF folded to LF, so a Windows checkout is not drift. */
  checksum: string;
  /** The file exactly as on disk (minus a BOM): CRLF inside a string literal stays CRLF, as with dbmate. */
  source: string;
  up: MigrationSection;
  /** Absent when the file has no `-- migrate:down` line; an empty or comment-only down section is a no-op. */
  down?: MigrationSection;
  /** Things dbmate tolerates and tenantctl runs anyway, worth telling the user (unknown options). */
  warnings: string[];
}

/** dbmate's own rule (pkg/dbmate/db.go: `^(\d+).*\.sql$`): digits first, anything after. */
export const FILE_NAME = /^(\d+)(.*)\.sql$/;
const MARKER = /^--\s*migrate:(up|down)\b(.*)$/gm;

/** Sort versions numerically (`0002` before `0010`, timestamps after short numbers). */
export function compareVersions(a: string, b: string): number {
  const diff = BigInt(a) - BigInt(b);
  return diff < 0n ? -1 : diff > 0n ? 1 : a.localeCompare(b);
}

/**
 * Marker options, read as dbmate reads them: only `transaction:false` turns the transaction
 * off; anything else is ignored. dbmate ignores unknown options silently; we warn, because a
 * typo (`transactions:false`) would otherwise run CREATE INDEX CONCURRENTLY in a transaction.
 */
function parseOptions(text: string, file: string, line: number, warnings: string[]): { transaction: boolean } {
  let transaction = true;
  for (const option of text.trim().split(/\s+/).filter(Boolean)) {
    const [key, value, ...rest] = option.split(':');
    if (key === 'transaction' && value === 'false' && rest.length === 0) transaction = false;
    else if (!(key === 'transaction' && value === 'true' && rest.length === 0)) {
      warnings.push(`${file}:${line}: unknown migration option "${option}" ignored (the only option is transaction:false)`);
    }
  }
  return { transaction };
}

/** `20240101000000_add_users` → `add_users`; dbmate also accepts `-` or nothing after the digits. */
const nameOf = (file: string, rest: string): string => rest.replace(/^[_\-.\s]+/, '') || file.replace(/\.sql$/, '');

/** A file with neither markers nor SQL (a migration commented out entirely): dbmate would fail on it; we skip it with a warning. */
export function isCommentOnly(raw: string): boolean {
  return !new RegExp(MARKER.source, 'm').test(raw) && splitStatements(raw).length === 0;
}

/**
 * Parse a dbmate-style file: `-- migrate:up` … `-- migrate:down` …. Pure. A transactional
 * section with transaction control or a search_path change is refused here (lint.ts), so a
 * bad file stops every command before anything runs.
 */
/** How much of a file to read up front. */
export interface ParseOptions {
  /**
   * Split and lint each section only when its statements are first read (what runs it, or
   * `checkSections`), not while loading: `migrate status`, a no-op `up` and `verify` need only
   * versions and checksums. @default false
   */
  lazy?: boolean;
}

export function parseMigration(scope: MigrationScope, file: string, path: string, raw: string, options: ParseOptions = {}): Migration {
  const match = FILE_NAME.exec(file);
  if (!match) {
    throw new TenantctlError('MIGRATION_PARSE', `${path}: migration file names start with a version number, e.g. 0001_create_users.sql or 20240101120000_create_users.sql.`, {
      hint: 'Rename the file, or create new ones with `tenantctl migrate new <name>`.',
      details: { file: path },
    });
  }
  // Bytes stay as they are: a CRLF inside a string literal is data (dbmate keeps it too).
  const source = raw.replace(/^\uFEFF/, '');
  const markers = [...source.matchAll(MARKER)];
  const up = markers.filter((m) => m[1] === 'up');
  const down = markers.filter((m) => m[1] === 'down');
  if (up.length !== 1 || down.length > 1) {
    throw new TenantctlError('MIGRATION_PARSE', `${path}: expected exactly one "-- migrate:up" line and at most one "-- migrate:down" line.`, {
      hint: 'Start the file with -- migrate:up, put the undo after -- migrate:down. A file with several up/down pairs (allowed by dbmate 2.35+) must be split into one file per pair.',
      details: { file: path },
    });
  }
  const first = Math.min(...markers.map((m) => m.index!));
  if (splitStatements(source.slice(0, first)).length > 0) {
    // dbmate refuses this too: SQL above the first marker belongs to no direction and would never run.
    throw new TenantctlError('MIGRATION_PARSE', `${path}: SQL before the first "-- migrate:" line would never run.`, {
      hint: 'Move it below -- migrate:up (or delete it).',
      details: { file: path },
    });
  }
  const warnings: string[] = [];
  const section = (marker: RegExpMatchArray, end: number, direction: 'up' | 'down'): MigrationSection => {
    const bodyStart = marker.index! + marker[0].length;
    const line = source.slice(0, marker.index).split('\n').length;
    const sql = source.slice(bodyStart, end);
    const { transaction } = parseOptions(marker[2] ?? '', path, line, warnings);
    let statements: Statement[] | undefined;
    // Linted before it is kept: a refused section throws on every read, never runs.
    const read = (): Statement[] => {
      if (statements) return statements;
      const split = splitStatements(sql, bodyStart);
      if (transaction) lintSection(path, source, direction, split);
      return (statements = split);
    };
    if (!options.lazy) return { sql, offset: bodyStart, statements: read(), transaction };
    return { sql, offset: bodyStart, transaction, get statements() { return read(); } };
  };
  const upMarker = up[0]!;
  const downMarker = down[0];
  const upEnd = downMarker && downMarker.index! > upMarker.index! ? downMarker.index! : source.length;
  const upSection = section(upMarker, upEnd, 'up');
  const downSection = downMarker ? section(downMarker, upMarker.index! > downMarker.index! ? upMarker.index! : source.length, 'down') : undefined;
  return {
    scope,
    version: match[1]!,
    name: nameOf(file, match[2]!),
    file,
    path,
    checksum: createHash('sha256').update(source.replace(/\r\n/g, '\n')).digest('hex'),
    source,
    up: upSection,
    down: downSection,
    warnings,
  };
}

/** A folder's migrations in version order, and what was left out of it and why. */
export interface LoadedFolder {
  migrations: Migration[];
  /** Stray `.sql` files and commented-out migrations (skipped), unknown options (ignored). */
  warnings: string[];
}

/**
 * Every migration of one folder, in version order. Like dbmate, a `.sql` file whose name does
 * not start with digits (`seed.sql`) is not a migration: it is skipped with a warning, not fatal.
 * Duplicate versions are an error. A folder that does not exist holds nothing.
 */
export async function loadMigrationFolder(folder: string, scope: MigrationScope, options: ParseOptions = {}): Promise<LoadedFolder> {
  let names: string[];
  let dangling: string[];
  try {
    const entries = await entriesFollowingLinks(folder);
    names = entries.filter((e) => e.isFile && e.name.endsWith('.sql')).map((e) => e.name).sort();
    dangling = entries.filter((e) => e.dangling && FILE_NAME.test(e.name)).map((e) => e.name).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { migrations: [], warnings: [] };
    throw error;
  }
  // A migration that is a link to nothing (a ConfigMap mount mid-update) is no migration to run,
  // nor one to pass over in silence: the run would report "up to date" without it.
  if (dangling.length) {
    throw new TenantctlError('MIGRATION_LINK_DANGLING', `${join(folder, dangling[0]!)} is a symbolic link to a file that does not exist${dangling.length > 1 ? ` (and ${dangling.length - 1} more: ${dangling.slice(1).join(', ')})` : ''}.`, {
      hint: 'Wait for the deployment that updates the migrations folder to finish, or fix the link, then run again. Nothing was run.',
      details: { folder, links: dangling },
      exitCode: 2,
    });
  }
  const warnings: string[] = [];
  const migrations: Migration[] = [];
  for (const name of names) {
    const path = join(folder, name);
    if (!FILE_NAME.test(name)) {
      warnings.push(`${path}: not a migration (the name does not start with a version number); skipped`);
      continue;
    }
    const raw = await readFile(path, 'utf8');
    if (isCommentOnly(raw)) {
      warnings.push(`${path}: holds no "-- migrate:up" and no SQL (commented out?); skipped`);
      continue;
    }
    const migration = parseMigration(scope, name, path, raw, options);
    warnings.push(...migration.warnings);
    migrations.push(migration);
  }
  migrations.sort((a, b) => compareVersions(a.version, b.version));
  for (let i = 1; i < migrations.length; i += 1) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new TenantctlError('MIGRATION_DUPLICATE', `Two ${scope} migrations share version ${migrations[i]!.version}: ${migrations[i - 1]!.file} and ${migrations[i]!.file}.`, {
        hint: 'Renumber one of them; versions must be unique within a scope.',
      });
    }
  }
  return { migrations, warnings };
}

/**
 * The migrations of one scope in tenantctl's own layout.
 * @param folder the folder under `dir` holding the scope's files (a pooled profile's own, e.g. imsop) @default scope
 */
export async function loadMigrations(dir: string, scope: MigrationScope, folder: string = scope, options: ParseOptions = {}): Promise<Migration[]> {
  return (await loadMigrationFolder(join(dir, folder), scope, options)).migrations;
}

/**
 * Both scopes, from the folders `resolveFolders` picks (see layout.ts), with every warning.
 * A profile names its folders under `dir`: commerce `shared/` + `tenant/`; a pooled profile one
 * folder (`imsop/`) for its one target, and no tenant scope. A flat dbmate folder is the shared scope.
 * @param folders @default { shared: 'shared', tenant: 'tenant' }
 */
export async function loadAllMigrations(
  dir: string,
  folders: ProfileFolders = { shared: 'shared', tenant: 'tenant' },
  flags: FolderFlags = {},
  options: ParseOptions = {},
): Promise<{ shared: Migration[]; tenant: Migration[]; warnings: string[] }> {
  const where = await resolveFolders(dir, flags, folders);
  const [shared, tenant] = await Promise.all([
    where.shared ? loadMigrationFolder(where.shared, 'shared', options) : { migrations: [], warnings: [] },
    where.tenant ? loadMigrationFolder(where.tenant, 'tenant', options) : { migrations: [], warnings: [] },
  ]);
  return { shared: shared.migrations, tenant: tenant.migrations, warnings: [...shared.warnings, ...tenant.warnings] };
}

/** Split and lint every section of lazily parsed files now: a refused file stops a run before anything runs. */
export function checkSections(migrations: Iterable<Migration>): void {
  for (const m of migrations) {
    void m.up.statements;
    void m.down?.statements;
  }
}
