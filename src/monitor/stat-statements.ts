import type { Pool, Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { isPgError, TenantctlError } from '../errors.js';
import { num } from './session.js';
import { grantHint, statsVisibility } from './visibility.js';

/** Where pg_stat_statements stands on this server and database. */
export interface StatStatementsStatus {
  versionNum: number;
  database: string;
  /** Schema the extension is installed in, or null when CREATE EXTENSION never ran here. */
  schema: string | null;
  /** The module ships with the server (contrib installed). */
  available: boolean;
  /** In shared_preload_libraries; null when this role may not read the setting. */
  preloaded: boolean | null;
  preloadSetting: string | null;
  configFile: string | null;
}

/** The view's column names for this server version. */
export interface StatColumns {
  total: string;
  mean: string;
  /** total_plan_time (13+), or null: planning is not tracked separately before 13. */
  plan: string | null;
  /** blk_read_time (≤ 16) or shared_blk_read_time (17+), or null when absent. */
  ioRead: string | null;
  ioWrite: string | null;
}

/** Read whether pg_stat_statements is installed, shipped and preloaded. */
export async function statStatementsStatus(sql: Sql): Promise<StatStatementsStatus> {
  const [row] = await query<{ version_num: number; database: string; schema: string | null; available: boolean; preload_setting: string | null; config_file: string | null }>(sql, 'monitor/stat-statements-status');
  const setting = row!.preload_setting;
  const preloaded = setting === null ? null : setting.split(',').map((s) => s.trim().replace(/^"|"$/g, '')).includes('pg_stat_statements');
  return { versionNum: row!.version_num, database: row!.database, schema: row!.schema, available: row!.available, preloaded, preloadSetting: setting, configFile: row!.config_file };
}

function preloadHint(status: StatStatementsStatus): string {
  const current = status.preloadSetting?.trim() ?? '';
  const wanted = current ? `${current},pg_stat_statements` : 'pg_stat_statements';
  const where = status.configFile ? ` in ${status.configFile}` : ' in postgresql.conf';
  return `Set shared_preload_libraries = '${wanted}'${where} (or run ALTER SYSTEM SET shared_preload_libraries = '${wanted}'), restart PostgreSQL (a reload is not enough), then run CREATE EXTENSION IF NOT EXISTS pg_stat_statements; in database "${status.database}".`;
}

/**
 * Throw an error that says exactly what to change when pg_stat_statements cannot be read:
 * the package, the shared_preload_libraries setting and restart, or the CREATE EXTENSION.
 */
export function requireStatStatements(status: StatStatementsStatus): asserts status is StatStatementsStatus & { schema: string } {
  const details = { database: status.database, preloadSetting: status.preloadSetting, schema: status.schema };
  if (!status.available && status.schema === null) {
    throw new TenantctlError('PG_STAT_STATEMENTS_MISSING', 'The pg_stat_statements module is not installed on this server.', {
      hint: `Install the PostgreSQL contrib package on the server (Debian/Ubuntu: postgresql-contrib), then: ${preloadHint(status)}`,
      details,
    });
  }
  if (status.preloaded === false) {
    throw new TenantctlError('PG_STAT_STATEMENTS_NOT_PRELOADED', `pg_stat_statements is not loaded: shared_preload_libraries is '${status.preloadSetting ?? ''}'.`, { hint: preloadHint(status), details });
  }
  if (status.schema === null) {
    throw new TenantctlError('PG_STAT_STATEMENTS_NOT_CREATED', `The pg_stat_statements extension is not created in database "${status.database}".`, {
      hint: `Run CREATE EXTENSION IF NOT EXISTS pg_stat_statements; in database "${status.database}" (as a superuser: pg_stat_statements is not a trusted extension, so a database owner may not create it).${status.preloaded === null ? ' It must also be in shared_preload_libraries (needs a restart).' : ''}`,
      details,
    });
  }
}

/**
 * Pick the view's column names from the ones it really has: PostgreSQL 13 split
 * total_time into total_plan_time + total_exec_time (mean_time → mean_exec_time), and 17
 * renamed blk_read_time/blk_write_time to shared_blk_read_time/shared_blk_write_time.
 */
export function statColumns(names: readonly string[]): StatColumns {
  const has = new Set(names);
  const first = (...candidates: string[]): string | null => candidates.find((c) => has.has(c)) ?? null;
  const total = first('total_exec_time', 'total_time');
  const mean = first('mean_exec_time', 'mean_time');
  if (!total || !mean) {
    throw new TenantctlError('PG_STAT_STATEMENTS_UNKNOWN', `This pg_stat_statements view has neither total_exec_time nor total_time (columns: ${names.join(', ')}).`, {
      hint: 'Update the extension: ALTER EXTENSION pg_stat_statements UPDATE;',
    });
  }
  return { total, mean, plan: first('total_plan_time'), ioRead: first('shared_blk_read_time', 'blk_read_time'), ioWrite: first('shared_blk_write_time', 'blk_write_time') };
}

/** Run `work` in a transaction whose search_path finds the extension's objects. */
async function inExtensionSchema<T>(sql: Pool, schema: string, work: (tx: Sql) => Promise<T>): Promise<T> {
  return (await sql.begin(async (tx) => {
    await query(tx, 'monitor/extension-search-path', [schema]);
    return work(tx);
  })) as T;
}

/** Rethrow "must be loaded via shared_preload_libraries" (55000) with the fix. */
function explainNotLoaded(error: unknown, status: StatStatementsStatus): unknown {
  if (isPgError(error) && error.code === '55000' && /shared_preload_libraries/.test(error.message)) {
    return new TenantctlError('PG_STAT_STATEMENTS_NOT_PRELOADED', `pg_stat_statements is created but not loaded: ${error.message}.`, { hint: preloadHint(status), cause: error });
  }
  return error;
}

/** One statement from pg_stat_statements. Times in milliseconds. */
export interface SlowQuery {
  queryid: string | null;
  database: string | null;
  role: string | null;
  calls: number;
  totalMs: number;
  meanMs: number;
  planMs: number | null;
  ioMs: number | null;
  rows: number;
  cacheHitPct: number | null;
  pctOfTotal: number | null;
  query: string;
}

export interface SlowQueriesOptions {
  /** @default 'total' */
  sort?: 'total' | 'mean' | 'calls';
  /** @default 20 */
  limit?: number;
  /** Every database's statements, not only the current one's. @default false */
  allDatabases?: boolean;
  /** Characters of query text to keep. @default 200 */
  queryLength?: number;
}

/** The top statements of pg_stat_statements, after checking the extension is usable. */
export async function slowQueries(sql: Pool, options: SlowQueriesOptions = {}): Promise<{ database: string; serverVersion: number; columns: StatColumns; statements: SlowQuery[]; note: string | null }> {
  const status = await statStatementsStatus(sql);
  requireStatStatements(status);
  const names = (await query<{ name: string }>(sql, 'monitor/stat-statements-columns', [status.schema])).map((r) => r.name);
  const columns = statColumns(names);
  let rows: Record<string, unknown>[];
  try {
    rows = await inExtensionSchema(sql, status.schema, (tx) =>
      query(tx, 'monitor/slow-queries', [columns.total, columns.mean, columns.plan ?? '', columns.ioRead ?? '', columns.ioWrite ?? '', options.sort ?? 'total', options.limit ?? 20, options.allDatabases ?? false, options.queryLength ?? 200]),
    );
  } catch (error) {
    throw explainNotLoaded(error, status);
  }
  const statements = rows.map((r) => ({
    queryid: (r.queryid as string | null) ?? null,
    database: r.database as string | null,
    role: r.role as string | null,
    calls: num(r.calls) ?? 0,
    totalMs: num(r.total_ms) ?? 0,
    meanMs: num(r.mean_ms) ?? 0,
    planMs: num(r.plan_ms),
    ioMs: num(r.io_ms),
    rows: num(r.rows) ?? 0,
    cacheHitPct: num(r.cache_hit_pct),
    pctOfTotal: num(r.pct_of_total),
    query: String(r.query ?? ''),
  }));
  // Without pg_read_all_stats, other roles' statements read "<insufficient privilege>".
  const visibility = await statsVisibility(sql);
  const note = !visibility.seesAll && statements.some((s) => s.role !== visibility.role)
    ? `the text of other roles' statements is hidden from role "${visibility.role}" (shown as <insufficient privilege>): it is neither a superuser nor a member of pg_read_all_stats; run ${grantHint(visibility.role)}`
    : null;
  return { database: status.database, serverVersion: status.versionNum, columns, statements, note };
}

/**
 * pg_stat_statements_reset() for the current database, or every database.
 * @param allDatabases @default false
 */
export async function resetStatStatements(sql: Pool, allDatabases = false): Promise<{ database: string; scope: 'database' | 'all' }> {
  const status = await statStatementsStatus(sql);
  requireStatStatements(status);
  const [db] = await query<{ oid: string; name: string }>(sql, 'monitor/database-oid');
  try {
    // The 3-argument form (1.7, PostgreSQL 12+) can reset one database; older ones reset everything.
    const scoped = status.versionNum >= 120000;
    await inExtensionSchema(sql, status.schema, (tx) => (scoped ? query(tx, 'monitor/stat-statements-reset', [allDatabases ? 0 : Number(db!.oid)]) : query(tx, 'monitor/stat-statements-reset-all')));
    return { database: db!.name, scope: allDatabases || !scoped ? 'all' : 'database' };
  } catch (error) {
    if (isPgError(error) && error.code === '42501') throw await resetDenied(sql, error, status);
    throw explainNotLoaded(error, status);
  }
}

/**
 * Only superusers may call pg_stat_statements_reset unless granted EXECUTE on it: say so with
 * the GRANT for the signature this server's extension has (it changed with its versions).
 */
async function resetDenied(sql: Sql, error: Error, status: StatStatementsStatus): Promise<TenantctlError> {
  const { role } = await statsVisibility(sql);
  const [found] = await query<{ signature: string | null }>(sql, 'monitor/stat-statements-reset-signature');
  const grantee = `"${role.replace(/"/g, '""')}"`;
  const grants = (found?.signature ?? 'pg_stat_statements_reset()').split(', ').map((f) => `GRANT EXECUTE ON FUNCTION ${f} TO ${grantee};`).join(' ');
  return new TenantctlError('PERMISSION_DENIED', `Role ${grantee} may not reset the pg_stat_statements statistics: ${error.message}.`, {
    hint: `By default only a superuser may: run reset-stats as a superuser, or have one run ${grants} in database "${status.database}".`,
    details: { database: status.database, role },
    cause: error,
  });
}
