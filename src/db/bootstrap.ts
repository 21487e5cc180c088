import type { Pool } from './connect.js';
import { script } from './queries.js';

/** Relations known to exist, per pool: later calls cost no round trip. */
const known = new WeakMap<object, Set<string>>();

/** Some of tenantctl's own tables, and the idempotent script that makes them. */
export interface Bootstrap {
  /**
   * A relation the script creates, e.g. 'tenantctl.backup_log'; with `column`, a column the
   * script adds last, so that a database bootstrapped by an older tenantctl runs the script
   * again and gets it.
   */
  relation: string;
  column?: string;
  /** A file of src/sql, e.g. 'backup/bootstrap'. */
  script: string;
}

/**
 * Create some of tenantctl's own tables (schema `tenantctl`) when `relation` is missing, by
 * running the named idempotent script under one bootstrap lock, so that two first runs of
 * any commands never race on CREATE TABLE IF NOT EXISTS.
 * @param relation a relation the script creates, e.g. 'tenantctl.backup_log'
 * @param scriptName a file of src/sql, e.g. 'backup/bootstrap'
 */
export async function ensureTables(sql: Pool, relation: string, scriptName: string): Promise<void> {
  await ensureAll(sql, [{ relation, script: scriptName }]);
}

/**
 * ensureTables for several scripts, looked for in one round trip (a one-shot command pays each
 * on a fresh connection) and run in the order given when missing.
 */
export async function ensureAll(sql: Pool, bootstraps: readonly Bootstrap[]): Promise<void> {
  const seen = known.get(sql) ?? new Set<string>();
  known.set(sql, seen);
  const key = (b: Bootstrap) => (b.column ? `${b.relation}.${b.column}` : b.relation);
  const unknown = bootstraps.filter((b) => !seen.has(key(b)));
  if (!unknown.length) return;
  const rows = (await sql`
    select case when w.col is null then to_regclass(w.rel) is not null
                else exists (select 1 from pg_catalog.pg_attribute a
                             where a.attrelid = to_regclass(w.rel) and a.attname = w.col and not a.attisdropped) end as present
    from unnest(${unknown.map((b) => b.relation)}::text[], ${unknown.map((b) => b.column ?? null) as string[]}::text[]) with ordinality as w(rel, col, ord)
    order by w.ord`) as unknown as { present: boolean }[];
  const missing = unknown.filter((_, i) => !rows[i]!.present);
  if (missing.length) {
    await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtextextended('tenantctl.bootstrap', 0))`;
      // Each script once, however many of its relations are missing (they are idempotent, not free).
      for (const name of new Set(missing.map((b) => b.script))) await script(tx, name);
    });
  }
  for (const b of unknown) seen.add(key(b));
}
