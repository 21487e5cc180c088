import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Sql } from './connect.js';

/**
 * The one reviewed home of `sql.unsafe` for named statements: every non-trivial SQL
 * statement lives in `src/sql/<name>.sql` and takes its values as `$1, $2 …` parameters;
 * identifiers never reach these files from user input.
 */

/** The package root (works from `src/` under vitest and from `dist/` when built). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const cache = new Map<string, string>();

/** The text of `src/sql/<name>.sql`. */
export function sqlText(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(PACKAGE_ROOT, 'src', 'sql', `${name}.sql`), 'utf8');
    cache.set(name, text);
  }
  return text;
}

type Param = string | number | boolean | null | Date | readonly string[] | readonly number[] | Buffer;

/** Run one named statement with parameters; returns its rows. */
export async function query<Row extends object = Record<string, unknown>>(sql: Sql, name: string, params: readonly Param[] = []): Promise<Row[]> {
  return (await sql.unsafe(sqlText(name), params as never[], { prepare: true })) as unknown as Row[];
}

/** Run a named script of several statements (simple protocol, no parameters). */
export async function script(sql: Sql, name: string): Promise<void> {
  await sql.unsafe(sqlText(name)).simple();
}
