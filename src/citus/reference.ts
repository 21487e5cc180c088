import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { isPgError } from '../errors.js';
import type { TenancyMode } from '../tenancy/profile.js';
import { detectCitus } from './detect.js';

/** One shared table's fate. */
export interface SharedTableOutcome {
  table: string;
  /** would-reference: what a dry run predicts for a table it left as it was. */
  outcome: 'reference' | 'already-reference' | 'would-reference' | 'kept-local';
  /** Why it stayed local (the server's reason). */
  why: string | null;
}

/** A dry run's forecast for one local shared table: the partitioned ones are the tables Citus refuses. */
function predictedOutcome(table: string, partitioned: boolean): SharedTableOutcome {
  if (partitioned) return { table, outcome: 'kept-local', why: 'a partitioned table: Citus distributes partitioned tables only by hash, so it would stay local' };
  return { table, outcome: 'would-reference', why: null };
}

/**
 * Shared tables → reference tables, in as many passes as it takes: a table whose foreign
 * key points at a table that is not yet a reference table fails the first pass and
 * succeeds once that one is done. What still fails is kept local with the server's reason.
 */
export async function referenceSharedTables(sql: Sql, dryRun: boolean): Promise<SharedTableOutcome[]> {
  const already = (await query<{ table_name: string }>(sql, 'citus/reference-tables')).map((r) => ({ table: r.table_name, outcome: 'already-reference' as const, why: null }));
  const local = await query<{ table_name: string; partitioned: boolean }>(sql, 'citus/local-tables', ['public']);
  if (dryRun) return [...already, ...local.map((r) => predictedOutcome(r.table_name, r.partitioned))];
  let pending = local.map((r) => r.table_name);
  const done: SharedTableOutcome[] = [];
  const failures = new Map<string, string>();
  for (let progress = true; progress && pending.length; ) {
    progress = false;
    for (const table of [...pending]) {
      try {
        await query(sql, 'citus/create-reference-table', [table]);
        done.push({ table, outcome: 'reference', why: null });
        pending = pending.filter((t) => t !== table);
        progress = true;
      } catch (error) {
        if (!isPgError(error)) throw error;
        failures.set(table, error.message);
      }
    }
  }
  return [...already, ...done, ...pending.map((table) => ({ table, outcome: 'kept-local' as const, why: failures.get(table) ?? null }))];
}

/** Why a pooled profile's tables are not made reference tables (migrate up's output lists them on one line with it). */
const POOLED_LOCAL = "a pooled profile's table (it holds every tenant's rows): not a reference table, which would copy them to every worker; pooled commands work on the coordinator as on one node (docs/citus.md)";

/**
 * Hook for `migrate up`: on a Citus coordinator, shared tables that migrations just created
 * become reference tables (tenant schemas may point foreign keys only at those). Returns
 * only the tables that changed or could not; null on plain PostgreSQL.
 *
 * Pooled: the shared tables ARE the tenants' tables (rows keyed by the tenant column). As
 * reference tables every worker would hold every tenant's rows, and the pooled commands'
 * statements that join them with local tables (a registry Citus could not convert, their
 * temporary tables) are refused. They stay local on the coordinator until distributed by
 * the tenant column (what `citus check` describes); a run that applied shared migrations
 * lists them as kept local, so the output says where they are.
 * @param sharedApplied the run applied shared migrations (the only runs that create tables)
 */
export async function referenceNewSharedTables(sql: Sql, mode: TenancyMode, sharedApplied: boolean): Promise<SharedTableOutcome[] | null> {
  if (!(await detectCitus(sql))) return null;
  if (mode === 'pooled') {
    if (!sharedApplied) return [];
    const local = await query<{ table_name: string }>(sql, 'citus/local-tables', ['public']);
    return local.map((r) => ({ table: r.table_name, outcome: 'kept-local' as const, why: POOLED_LOCAL }));
  }
  return (await referenceSharedTables(sql, false)).filter((t) => t.outcome !== 'already-reference');
}
