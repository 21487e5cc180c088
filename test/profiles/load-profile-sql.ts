import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sql } from '../../src/db/connect.js';
import { PACKAGE_ROOT } from '../../src/db/queries.js';
import { compareVersions, parseMigration, type Migration, type MigrationSection } from '../../src/migrate/files.js';
import { splitStatements, type Statement } from '../../src/migrate/split.js';

/**
 * A pooled profile's migrations (migrations/<profile>/*.sql), parsed by the project's own
 * parser, in version order. The pooled schema is the profile's one migration target; the
 * parser's scope only names the folder kind, so 'shared' (one schema) is the fitting one.
 */
export async function profileMigrations(profile: string): Promise<Migration[]> {
  const dir = join(`${PACKAGE_ROOT}migrations`, profile);
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql'));
  const migrations = await Promise.all(names.map(async (n) => parseMigration('shared', n, join(dir, n), await readFile(join(dir, n), 'utf8'))));
  return migrations.sort((a, b) => compareVersions(a.version, b.version));
}

/** Where a failing statement starts, as file:line, so a broken migration names its line. */
function located(error: unknown, file: string, source: string, statement: Statement): Error {
  const line = source.slice(0, statement.offset).split('\n').length;
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${file}:${line}: ${message}\n${statement.text.slice(0, 200)}`, { cause: error });
}

/** Run statements one by one in ONE transaction: all or nothing, like a migration. */
async function runInTransaction(sql: Sql, file: string, source: string, statements: Statement[]): Promise<void> {
  await sql.begin(async (tx) => {
    const t = tx as unknown as Sql;
    for (const statement of statements) {
      try {
        await t.unsafe(statement.text, [], { prepare: false });
      } catch (error) {
        throw located(error, file, source, statement);
      }
    }
  });
}

async function runSection(sql: Sql, migration: Migration, section: MigrationSection): Promise<void> {
  await runInTransaction(sql, migration.path, migration.source, section.statements);
}

/** Every up section, in version order, each in its own transaction. */
export async function migrateProfileUp(sql: Sql, migrations: Migration[]): Promise<void> {
  for (const migration of migrations) await runSection(sql, migration, migration.up);
}

/** Every down section, newest first; a migration without one is an error (it cannot be undone). */
export async function migrateProfileDown(sql: Sql, migrations: Migration[]): Promise<void> {
  for (const migration of [...migrations].reverse()) {
    if (!migration.down) throw new Error(`${migration.path} has no -- migrate:down section`);
    await runSection(sql, migration, migration.down);
  }
}

/** A plain SQL file (a sample dataset) in one transaction. */
export async function loadSqlFile(sql: Sql, path: string): Promise<void> {
  const source = await readFile(path, 'utf8');
  await runInTransaction(sql, path, source, splitStatements(source));
}
