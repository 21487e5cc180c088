import type postgres from 'postgres';
import type { Pool } from './connect.js';

/**
 * `sql.reserve()`, made safe with fetch_types off: postgres.js never hands a connection it
 * has just opened to a waiting reserve() in that mode (porsager/postgres#751), so a fresh
 * pool would hang. A query first leaves an idle connection for reserve() to take; in a
 * busy pool a queued reserve() is served when any connection frees up.
 * (Its own module, with type-only imports: the tenant locks use it, and every command loads
 * the profiles that import those locks, which need not load postgres.js to print help.)
 */
export async function reserveConnection(sql: Pool): Promise<postgres.ReservedSql<Record<string, never>>> {
  await sql`select 1`;
  return sql.reserve();
}
