import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sql } from '../../src/db/connect.js';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { compareVersions, parseMigration, type Migration } from '../../src/migrate/files.js';

/** migrations/<profile>/ in this checkout. */
export const profileDir = (profile: string): string => join(PACKAGE_ROOT, 'migrations', profile);

/**
 * A pooled profile's migration files, parsed by the engine's own parser (so a file the engine
 * would reject fails here too), in version order. A pooled profile has one target, so every
 * file is read as the shared scope.
 */
export async function profileMigrations(profile: string): Promise<Migration[]> {
  const dir = profileDir(profile);
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql'));
  const files = await Promise.all(names.map(async (n) => parseMigration('shared', n, join(dir, n), await readFile(join(dir, n), 'utf8'))));
  return files.sort((a, b) => compareVersions(a.version, b.version));
}

/** Run SQL text (many statements) as one simple-protocol query inside one transaction. */
export async function runInTransaction(sql: Sql, text: string): Promise<void> {
  await sql.begin(async (tx) => {
    await tx.unsafe(text).simple();
  });
}

/** Every up section of the profile, in version order, each in its own transaction (as `migrate up` runs them). */
export async function migrateProfileUp(sql: Sql, profile: string): Promise<Migration[]> {
  const migrations = await profileMigrations(profile);
  for (const m of migrations) await runInTransaction(sql, m.up.sql);
  return migrations;
}

/** Every down section, newest first, each in its own transaction; a file without one is an error. */
export async function migrateProfileDown(sql: Sql, profile: string): Promise<void> {
  const migrations = await profileMigrations(profile);
  for (const m of migrations.reverse()) {
    if (!m.down) throw new Error(`${m.file} has no -- migrate:down section`);
    await runInTransaction(sql, m.down.sql);
  }
}

/** Load a data file (plain INSERTs) in one transaction. */
export async function loadSqlFile(sql: Sql, path: string): Promise<void> {
  await runInTransaction(sql, await readFile(path, 'utf8'));
}
