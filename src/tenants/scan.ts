import type { Sql } from '../db/connect.js';
import { query } from '../db/queries.js';

/** A table where the value was found. */
export interface ScanHit {
  table: string;
  rows: number;
  columns: string[];
}

/** What a whole-database scan looked at and found. */
export interface ScanResult {
  tables: number;
  columns: number;
  found: ScanHit[];
  durationMs: number;
}

interface TableColumns {
  schema_name: string;
  table_name: string;
  uuid_columns: string[];
  text_columns: string[];
}

/** One table as tenants/scan-count takes it: uuid columns compared with `=`, the rest searched as text. */
interface Searched {
  /** Its place in the list, by which scan-count names it. */
  at: number;
  schema: string;
  table: string;
  equal: string[];
  search: string[];
}

/**
 * How many tables one scan-count statement counts. It holds a lock on each table, and on each
 * index the planner opened for it, until it ends (about four a table), and every lock takes a
 * slot of the server's shared lock table, which other sessions need too: max_locks_per_transaction
 * × (max_connections + max_prepared_transactions), 6,400 by default. With the pool's four
 * statements at once, a scan keeps to about an eighth of it: 50 tables by default, at most 200
 * (more saves nothing), at least 10.
 */
async function tablesPerStatement(sql: Sql): Promise<number> {
  const [s] = await query<{ max_locks_per_transaction: number; max_connections: number; max_prepared_transactions: number }>(sql, 'tenants/lock-capacity');
  const capacity = s!.max_locks_per_transaction * (s!.max_connections + s!.max_prepared_transactions);
  return Math.max(10, Math.min(200, Math.floor(capacity / 128)));
}

/** Where scanForValue looks. */
export interface ScanScope {
  /** The named query listing the tables and columns to search (a Citus worker lists its shards with its own). @default 'tenants/scan-columns' */
  columnsQuery?: string;
  /**
   * Pass over tables whose heap has no page (they hold no row). false on a Citus coordinator,
   * where a table's rows may be in shards this session does not see. @default true
   */
  skipEmpty?: boolean;
}

/**
 * Look for a value (a tenant id) in every ordinary table of the database: uuid columns by
 * equality, text, json and array columns as a case-insensitive substring of their text.
 * The server counts the rows of up to 200 tables a statement (tenants/scan-count), and for
 * a table with a hit the columns that hold it, the statements in parallel on the pool.
 * tenantctl.erasure_receipts is not searched: it keeps tenant ids by design.
 */
export async function scanForValue(sql: Sql, value: string, { columnsQuery = 'tenants/scan-columns', skipEmpty = true }: ScanScope = {}): Promise<ScanResult> {
  const started = performance.now();
  const [tables, perStatement] = await Promise.all([query<TableColumns>(sql, columnsQuery), tablesPerStatement(sql)]);
  const needle = value.toLowerCase();
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(needle);
  const searched: Searched[] = tables.map((t, at) => ({
    at,
    schema: t.schema_name,
    table: t.table_name,
    equal: isUuid ? t.uuid_columns : [],
    search: isUuid ? t.text_columns : [...t.text_columns, ...t.uuid_columns],
  }));
  const batches: Searched[][] = [];
  for (let i = 0; i < searched.length; i += perStatement) batches.push(searched.slice(i, i + perStatement));
  const counted = await Promise.all(batches.map((batch) => query<{ at: number; counts: string[] }>(sql, 'tenants/scan-count', [JSON.stringify(batch), needle, skipEmpty])));
  const found = counted.flat().map(({ at, counts: [rows, ...perColumn] }): ScanHit => {
    const t = searched[at]!;
    return { table: `${t.schema}.${t.table}`, rows: Number(rows), columns: [...t.equal, ...t.search].filter((_c, i) => Number(perColumn[i]) > 0) };
  });
  return {
    tables: tables.length,
    columns: tables.reduce((n, t) => n + t.uuid_columns.length + t.text_columns.length, 0),
    found,
    durationMs: Math.round(performance.now() - started),
  };
}
