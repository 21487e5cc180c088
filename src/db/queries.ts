import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { RegistryCompanion, RegistrySpec } from '../tenancy/profile.js';
import type { Sql } from './connect.js';

/**
 * The one reviewed home of `sql.unsafe` for named statements: every non-trivial SQL
 * statement lives in `src/sql/<name>.sql` and takes its values as `$1, $2 …` parameters;
 * identifiers never reach these files from user input.
 */

/** The package root (works from `src/` under vitest and from `dist/` when built). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const cache = new Map<string, string>();

/**
 * A file's text as it goes to the server: its whole-line comments, written for the reader of
 * the file, left out, and one line naming the file put first (what pg_stat_statements and
 * pg_stat_activity then show). The files' comments are often longer than their SQL, and
 * postgres.js copies and hashes a statement's whole text each time it runs one (to find it
 * among the prepared): at 10,000 tenants a `migrate up` ran 60,000 statements of 1.5–9 KB.
 * Only whole lines go: no file has a line starting with `--` inside a quoted string.
 */
const forServer = (name: string, text: string): string =>
  `-- tenantctl ${name}\n${text.split('\n').filter((line) => !line.trimStart().startsWith('--')).join('\n')}`;

/** The text of `src/sql/<name>.sql`, as sent (forServer). */
export function sqlText(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = forServer(name, readFileSync(join(PACKAGE_ROOT, 'src', 'sql', `${name}.sql`), 'utf8'));
    cache.set(name, text);
  }
  return text;
}

type Param = string | number | boolean | null | Date | readonly string[] | readonly number[] | Buffer;

/** Run one named statement with parameters; returns its rows. */
export async function query<Row extends object = Record<string, unknown>>(sql: Sql, name: string, params: readonly Param[] = []): Promise<Row[]> {
  return (await sql.unsafe(sqlText(name), params as never[], { prepare: true })) as unknown as Row[];
}

/** An identifier as SQL text, double-quoted as ONE name (profile-given or read from the catalog, never user input). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The registry table as a qualified, quoted name: for `to_regclass($n)` / `$n::regclass` parameters. */
export function registryName(registry: RegistrySpec): string {
  return `${quoteIdent(registry.schema)}.${quoteIdent(registry.table)}`;
}

/**
 * The names a registry-touching SQL file may use, each replaced by the profile's quoted
 * identifier: `{{registry}}` (schema.table), `{{registry.key}}`, `{{registry.handle}}`,
 * `{{registry.name}}`, `{{registry.status}}`, `{{registry.target}}` (the column naming a
 * tenant's schema).
 */
function registryNames(registry: RegistrySpec): Record<string, string> {
  const names: Record<string, string> = {
    registry: registryName(registry),
    'registry.key': quoteIdent(registry.key),
    'registry.handle': quoteIdent(registry.handle),
    'registry.name': quoteIdent(registry.name),
    'registry.status': quoteIdent(registry.status.column),
  };
  if (registry.targetColumn) names['registry.target'] = quoteIdent(registry.targetColumn);
  return names;
}

const rendered = new Map<string, string>();

/**
 * The names of one registry companion table (RegistrySpec.companions): `{{companion}}`
 * (schema.table, in the registry's schema), `{{companion.column}}` (its tenant column),
 * `{{companion.key}}` (its own key).
 */
export function companionNames(registry: RegistrySpec, companion: RegistryCompanion): Record<string, string> {
  return {
    companion: `${quoteIdent(registry.schema)}.${quoteIdent(companion.table)}`,
    'companion.column': quoteIdent(companion.column),
    'companion.key': quoteIdent(companion.key),
  };
}

/**
 * The text of `src/sql/<name>.sql` with the profile's registry rendered in, plus `extra`
 * placeholders (profile-given identifiers, already quoted, e.g. companionNames); an unknown
 * placeholder is a programming error.
 */
export function registrySqlText(name: string, registry: RegistrySpec, extra: Readonly<Record<string, string>> = {}): string {
  return renderedSqlText(name, { ...registryNames(registry), ...extra }, `registry ${registry.schema}.${registry.table}`);
}

/**
 * The text of `src/sql/<name>.sql` with each `{{placeholder}}` replaced by `names` (SQL text
 * tenantctl chose, never user input); `from` says who should have provided a missing one.
 */
export function renderedSqlText(name: string, names: Readonly<Record<string, string>>, from: string): string {
  const key = `${name}\0${JSON.stringify(names)}`;
  let text = rendered.get(key);
  if (text === undefined) {
    text = sqlText(name).replace(/\{\{([a-z.]+)\}\}/g, (_, placeholder: string) => {
      const value = names[placeholder];
      if (value === undefined) throw new Error(`src/sql/${name}.sql names {{${placeholder}}}, which ${from} does not provide`);
      return value;
    });
    rendered.set(key, text);
  }
  return text;
}

/** Run one named statement with `names` rendered into its placeholders (renderedSqlText) and values as parameters. */
export async function renderedQuery<Row extends object = Record<string, unknown>>(sql: Sql, name: string, names: Readonly<Record<string, string>>, params: readonly Param[] = []): Promise<Row[]> {
  return (await sql.unsafe(renderedSqlText(name, names, 'the caller'), params as never[], { prepare: true })) as unknown as Row[];
}

/**
 * Run one named statement that touches the tenant registry: the registry's table and
 * columns come from the profile (rendered as quoted identifiers), values stay parameters.
 */
export async function registryQuery<Row extends object = Record<string, unknown>>(sql: Sql, name: string, registry: RegistrySpec, params: readonly Param[] = [], extra: Readonly<Record<string, string>> = {}): Promise<Row[]> {
  return (await sql.unsafe(registrySqlText(name, registry, extra), params as never[], { prepare: true })) as unknown as Row[];
}

/**
 * Run a statement the server composed for us (a named query's result, its names and values
 * quoted there by format() with %I / %L): for utility statements such as CREATE DATABASE,
 * which take no parameters.
 */
export async function composed(sql: Sql, statement: string): Promise<void> {
  await sql.unsafe(statement).simple();
}

/** Run a named script of several statements (simple protocol, no parameters). */
export async function script(sql: Sql, name: string): Promise<void> {
  await sql.unsafe(sqlText(name)).simple();
}
