import type { Sql } from './connect.js';
import { script } from './queries.js';

/** Relations known to exist, per pool: later calls cost no round trip. */
const known = new WeakMap<object, Set<string>>();

/**
 * Create some of tenantctl's own tables (schema `tenantctl`) when `relation` is missing, by
 * running the named idempotent script under one bootstrap lock, so that two first runs of
 * any commands never race on CREATE TABLE IF NOT EXISTS.
 * @param relation a relation the script creates, e.g. 'tenantctl.backup_log'; or a column the
 *   script adds last, as 'tenantctl.tenant_pool.stamped', so that a database bootstrapped by an
 *   older tenantctl runs the script again and gets it
 * @param scriptName a file of src/sql, e.g. 'backup/bootstrap'
 */
export async function ensureTables(sql: Sql, relation: string, scriptName: string, column?: string): Promise<void> {
  const seen = known.get(sql) ?? new Set<string>();
  known.set(sql, seen);
  const key = column ? `${relation}.${column}` : relation;
  if (seen.has(key)) return;
  const [row] = (await sql`
    select case when ${column ?? null}::text is null then to_regclass(${relation}) is not null
                else exists (select 1 from pg_catalog.pg_attribute a
                             where a.attrelid = to_regclass(${relation}) and a.attname = ${column ?? null} and not a.attisdropped) end as present`) as unknown as [{ present: boolean }];
  if (!row.present) {
    await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtextextended('tenantctl.bootstrap', 0))`;
      await script(tx as unknown as Sql, scriptName);
    });
  }
  seen.add(key);
}
