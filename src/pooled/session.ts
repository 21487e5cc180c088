import type { Sql } from '../db/connect.js';
import type postgres from 'postgres';
import { isPgError, TenantctlError } from '../errors.js';


/** The role attribute the pooled engine needs, stated in every error about it. */
export const ROLE_NEEDED = 'a role with BYPASSRLS (ALTER ROLE … BYPASSRLS) or a superuser';

/** Turn "query would be affected by row-level security policy" into an error that says what to do. */
export function explainRowSecurity(error: unknown): unknown {
  if (!isPgError(error) || error.code !== '42501' || !/row-level security/.test(error.message)) return error;
  const table = /for table "([^"]+)"/.exec(error.message)?.[1];
  return new TenantctlError('RLS_BLOCKS', `Row-level security on table ${table ?? '(unknown)'} would hide rows from tenantctl, so it stopped instead of silently missing them.`, {
    hint: `Run tenantctl as ${ROLE_NEEDED}: it reads and writes with row_security = off, which PostgreSQL refuses for a role that policies would filter. Nothing was changed.`,
    details: { table: table ?? null, needs: 'BYPASSRLS' },
    cause: error,
  });
}

/**
 * Run `fn` in a transaction with `row_security = off` (transaction-local: pool-safe), so a
 * role that row-level security would filter gets an error, never "DELETE 0". Inside a
 * caller's transaction (it has `savepoint`) the setting is applied there; otherwise a new
 * transaction is opened.
 */
export async function withRowSecurityOff<T>(sql: Sql, fn: (tx: Sql) => Promise<T>): Promise<T> {
  const run = async (tx: Sql): Promise<T> => {
    await tx`select set_config('row_security', 'off', true)`;
    try {
      return await fn(tx);
    } catch (error) {
      throw explainRowSecurity(error);
    }
  };
  if ('savepoint' in sql) return run(sql);
  try {
    return (await (sql as postgres.Sql<Record<string, never>>).begin((tx) => run(tx))) as T;
  } catch (error) {
    throw explainRowSecurity(error);
  }
}
