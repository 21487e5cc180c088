import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { usageError } from '../errors.js';

/**
 * Refuse `--schema` names no schema of the database has: a report filtered on a typo would say
 * "no tables" and exit 0, where an unknown `--tenant` is exit 2.
 */
export async function requireSchemas(sql: Sql, names: readonly string[]): Promise<void> {
  if (!names.length) return;
  const missing = (await query<{ name: string }>(sql, 'monitor/missing-schemas', [[...names]])).map((r) => r.name);
  if (missing.length) {
    throw usageError(`--schema ${missing.map((m) => JSON.stringify(m)).join(', ')}: no such schema in this database.`, 'List the schemas with \\dn in psql; a tenant is named with --tenant <slug> instead.', { missing });
  }
}
