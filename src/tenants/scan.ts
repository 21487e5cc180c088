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

/**
 * Look for a value (a tenant id) in every ordinary table of the database: uuid columns by
 * equality, text, json and array columns as a case-insensitive substring of their text. One
 * query per table (the conditions OR'd, one pass over its rows), run in parallel on the pool.
 * tenantctl.erasure_receipts is not searched: it keeps tenant ids by design.
 * @param columnsQuery the named query listing the tables and columns to search (a Citus
 *   worker lists its shards with its own). @default 'tenants/scan-columns'
 */
export async function scanForValue(sql: Sql, value: string, columnsQuery = 'tenants/scan-columns'): Promise<ScanResult> {
  const started = performance.now();
  const tables = await query<TableColumns>(sql, columnsQuery);
  const needle = value.toLowerCase();
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(needle);
  const results = await Promise.all(
    tables.map(async (t): Promise<ScanHit | undefined> => {
      const uuidColumns = isUuid ? t.uuid_columns : [];
      const textColumns = isUuid ? t.text_columns : [...t.text_columns, ...t.uuid_columns];
      const conditions = [
        ...uuidColumns.map((c) => sql`${sql(c)} = ${needle}::uuid`),
        ...textColumns.map((c) => sql`strpos(lower(${sql(c)}::text), ${needle}) > 0`),
      ];
      if (!conditions.length) return undefined;
      const where = conditions.reduce((all, c) => sql`${all} or ${c}`);
      const hits = conditions.map((c, i) => sql`count(*) filter (where ${c}) as ${sql(`c${i}`)}`).reduce((all, c) => sql`${all}, ${c}`);
      const [row] = await sql`select count(*)::int as rows, ${hits} from ${sql(t.schema_name)}.${sql(t.table_name)} where ${where}`;
      const r = row as Record<string, number | string>;
      if (!Number(r.rows)) return undefined;
      const names = [...uuidColumns, ...textColumns];
      return { table: `${t.schema_name}.${t.table_name}`, rows: Number(r.rows), columns: names.filter((_n, i) => Number(r[`c${i}`]) > 0) };
    }),
  );
  return {
    tables: tables.length,
    columns: tables.reduce((n, t) => n + t.uuid_columns.length + t.text_columns.length, 0),
    found: results.filter((r): r is ScanHit => r !== undefined),
    durationMs: Math.round(performance.now() - started),
  };
}
