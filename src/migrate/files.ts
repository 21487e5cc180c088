import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TenantctlError } from '../errors.js';
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
  source: string;
  up: MigrationSection;
  down?: MigrationSection;
}

const FILE_NAME = /^(\d+)_([A-Za-z0-9][A-Za-z0-9_\-.]*)\.sql$/;
const MARKER = /^--\s*migrate:(up|down)\b(.*)$/gm;

/** Sort versions numerically (`0002` before `0010`, timestamps after short numbers). */
export function compareVersions(a: string, b: string): number {
  const diff = BigInt(a) - BigInt(b);
  return diff < 0n ? -1 : diff > 0n ? 1 : a.localeCompare(b);
}

function parseOptions(text: string, file: string, line: number): { transaction: boolean } {
  let transaction = true;
  for (const option of text.trim().split(/\s+/).filter(Boolean)) {
    const [key, value] = option.split(':');
    if (key === 'transaction' && (value === 'false' || value === 'true')) transaction = value === 'true';
    else {
      throw new TenantctlError('MIGRATION_PARSE', `${file}:${line}: unknown migration option "${option}".`, {
        hint: 'The only option is transaction:false, e.g. `-- migrate:up transaction:false`.',
        details: { file, line },
      });
    }
  }
  return { transaction };
}

/**
 * Parse a dbmate-style file: `-- migrate:up` … `-- migrate:down` …. Pure. A transactional
 * section with transaction control or a search_path change is refused here (lint.ts), so a
 * bad file stops every command before anything runs.
 */
export function parseMigration(scope: MigrationScope, file: string, path: string, raw: string): Migration {
  const match = FILE_NAME.exec(file);
  if (!match) {
    throw new TenantctlError('MIGRATION_PARSE', `${path}: migration file names look like 0001_create_users.sql or 20240101120000_create_users.sql.`, {
      hint: 'Rename the file, or create new ones with `tenantctl migrate new <name>`.',
      details: { file: path },
    });
  }
  const source = raw.replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const markers = [...source.matchAll(MARKER)];
  const up = markers.filter((m) => m[1] === 'up');
  const down = markers.filter((m) => m[1] === 'down');
  if (up.length !== 1 || down.length > 1) {
    throw new TenantctlError('MIGRATION_PARSE', `${path}: expected exactly one "-- migrate:up" line and at most one "-- migrate:down" line.`, {
      hint: 'Start the file with -- migrate:up, put the undo after -- migrate:down.',
      details: { file: path },
    });
  }
  const section = (marker: RegExpMatchArray, end: number): MigrationSection => {
    const bodyStart = marker.index! + marker[0].length;
    const line = source.slice(0, marker.index).split('\n').length;
    const sql = source.slice(bodyStart, end);
    return { sql, offset: bodyStart, statements: splitStatements(sql, bodyStart), ...parseOptions(marker[2] ?? '', path, line) };
  };
  const upMarker = up[0]!;
  const downMarker = down[0];
  const upEnd = downMarker && downMarker.index! > upMarker.index! ? downMarker.index! : source.length;
  const downSection = downMarker ? section(downMarker, upMarker.index! > downMarker.index! ? upMarker.index! : source.length) : undefined;
  const upSection = section(upMarker, upEnd);
  for (const [direction, s] of [['up', upSection], ['down', downSection]] as const) {
    if (s?.transaction) lintSection(path, source, direction, s.statements);
  }
  return {
    scope,
    version: match[1]!,
    name: match[2]!,
    file,
    path,
    checksum: createHash('sha256').update(source).digest('hex'),
    source,
    up: upSection,
    down: downSection && downSection.statements.length > 0 ? downSection : undefined,
  };
}

/** Every migration of one scope folder, in version order; duplicate versions are an error. */
export async function loadMigrations(dir: string, scope: MigrationScope): Promise<Migration[]> {
  let names: string[];
  try {
    names = (await readdir(join(dir, scope))).filter((n) => n.endsWith('.sql')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const migrations = await Promise.all(names.map(async (n) => parseMigration(scope, n, join(dir, scope, n), await readFile(join(dir, scope, n), 'utf8'))));
  migrations.sort((a, b) => compareVersions(a.version, b.version));
  for (let i = 1; i < migrations.length; i += 1) {
    if (migrations[i]!.version === migrations[i - 1]!.version) {
      throw new TenantctlError('MIGRATION_DUPLICATE', `Two ${scope} migrations share version ${migrations[i]!.version}: ${migrations[i - 1]!.file} and ${migrations[i]!.file}.`, {
        hint: 'Renumber one of them; versions must be unique within a scope.',
      });
    }
  }
  return migrations;
}

/** Both scopes. */
export async function loadAllMigrations(dir: string): Promise<{ shared: Migration[]; tenant: Migration[] }> {
  const [shared, tenant] = await Promise.all([loadMigrations(dir, 'shared'), loadMigrations(dir, 'tenant')]);
  return { shared, tenant };
}
