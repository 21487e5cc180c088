import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { num, schemaFilter } from './session.js';

/** Transaction-id age of one database; the server stops writes at 2^31. */
export interface DatabaseAge {
  database: string;
  xidAge: number;
  mxidAge: number;
  wraparoundPct: number;
  freezeMaxAge: number;
}

/** Vacuum state of one table. */
export interface TableVacuum {
  schema: string;
  table: string;
  liveTuples: number;
  deadTuples: number;
  deadPct: number | null;
  lastVacuum: Date | null;
  lastAutovacuum: Date | null;
  lastAnalyze: Date | null;
  lastAutoanalyze: Date | null;
  xidAge: number;
  wraparoundPct: number;
  /** Dead tuples are past the autovacuum threshold (autovacuum should be on it). */
  autovacuumDue: boolean;
}

export interface VacuumOptions {
  schemas?: readonly string[];
  /** dead: most dead tuples; age: oldest relfrozenxid; stale: longest since analyze. @default 'dead' */
  sort?: 'dead' | 'age' | 'stale';
  /** @default 20 */
  limit?: number;
}

/** Wraparound age of every database. */
export async function databaseAges(sql: Sql): Promise<DatabaseAge[]> {
  return (await query(sql, 'monitor/vacuum-databases')).map((r) => ({
    database: String(r.database),
    xidAge: num(r.xid_age) ?? 0,
    mxidAge: num(r.mxid_age) ?? 0,
    wraparoundPct: num(r.wraparound_pct) ?? 0,
    freezeMaxAge: num(r.freeze_max_age) ?? 0,
  }));
}

/** Dead tuples, last (auto)vacuum/analyze and xid age: per database, and per table (top N). */
export async function vacuumReport(sql: Sql, options: VacuumOptions = {}): Promise<{ databases: DatabaseAge[]; matched: number; tables: TableVacuum[] }> {
  const rows = await query(sql, 'monitor/vacuum-tables', [schemaFilter(options.schemas), options.sort ?? 'dead', options.limit ?? 20]);
  const tables = rows.map((r) => ({
    schema: String(r.schema),
    table: String(r.table),
    liveTuples: num(r.live_tuples) ?? 0,
    deadTuples: num(r.dead_tuples) ?? 0,
    deadPct: num(r.dead_pct),
    lastVacuum: (r.last_vacuum as Date | null) ?? null,
    lastAutovacuum: (r.last_autovacuum as Date | null) ?? null,
    lastAnalyze: (r.last_analyze as Date | null) ?? null,
    lastAutoanalyze: (r.last_autoanalyze as Date | null) ?? null,
    xidAge: num(r.xid_age) ?? 0,
    wraparoundPct: num(r.wraparound_pct) ?? 0,
    autovacuumDue: Boolean(r.autovacuum_due),
  }));
  return { databases: await databaseAges(sql), matched: num(rows[0]?.matched) ?? 0, tables };
}
