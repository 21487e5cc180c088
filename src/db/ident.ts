import type { Fragment } from '../csv/sql-parts.js';
import type { Sql } from './connect.js';
import { quoteIdent } from './queries.js';

/**
 * ONE identifier as a fragment, for names read from the catalog (schema, table, column,
 * index …). postgres.js's `sql(name)` turns every "." into `"."`, so a table named
 * "orders.v2" would become the qualified name orders.v2 ("cross-database references are
 * not implemented"). Here a name is quoted whole: `"` doubled, dots kept inside the quotes.
 */
export function ident(sql: Sql, name: string): Fragment {
  return sql.unsafe(quoteIdent(name)) as unknown as Fragment;
}

/** `"schema"."table"` from the two catalog names (never split on a dot). */
export function qualifiedIdent(sql: Sql, schema: string, name: string): Fragment {
  return sql.unsafe(`${quoteIdent(schema)}.${quoteIdent(name)}`) as unknown as Fragment;
}
