import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sql } from '../../src/db/connect.js';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { compareVersions, parseMigration, type Migration } from '../../src/migrate/files.js';

/** Folder of one profile's migrations, e.g. `migrations/abparts`. */
export function profileMigrationsDir(profile: string): string {
  return join(PACKAGE_ROOT, 'migrations', profile);
}

/**
 * Every migration file of a profile, parsed by the project's own parser (so a file the
 * engine would reject fails here too), in version order. A pooled profile has one
 * target; the parser's scope label does not change how a file is read.
 */
export async function loadProfileMigrations(profile: string): Promise<Migration[]> {
  const dir = profileMigrationsDir(profile);
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql'));
  const migrations = await Promise.all(names.map(async (n) => parseMigration('shared', n, join(dir, n), await readFile(join(dir, n), 'utf8'))));
  return migrations.sort((a, b) => compareVersions(a.version, b.version));
}

/** Run SQL text (several statements, no parameters) in one transaction. */
export async function runInTransaction(sql: Sql, text: string): Promise<void> {
  await sql.begin(async (tx) => {
    await tx.unsafe(text).simple();
  });
}

/** Apply every up section in version order, each in its own transaction (as the engine does). */
export async function applyUp(sql: Sql, migrations: readonly Migration[]): Promise<void> {
  for (const m of migrations) await runInTransaction(sql, m.up.sql);
}

/** Apply every down section in reverse version order, each in its own transaction. */
export async function applyDown(sql: Sql, migrations: readonly Migration[]): Promise<void> {
  for (const m of [...migrations].reverse()) {
    if (!m.down) throw new Error(`${m.file} has no -- migrate:down section`);
    await runInTransaction(sql, m.down.sql);
  }
}
