import { parse } from 'csv-parse/sync';
import { join } from 'node:path';
import type { ConnectionConfig } from '../db/config.js';
import { PACKAGE_ROOT } from '../db/queries.js';
import { runTool } from './run-tool.js';
import type { PgTool } from './tools.js';

/** Row count and content checksum of one table. */
export interface TableFigures {
  schema: string;
  table: string;
  rows: number;
  checksum: string;
}

/**
 * How a table's checksum is computed (src/sql/backup/table-checksums.sql): `hashtext`, two
 * sums of hashtextextended(row text); `md5`, two sums of md5(row text) halves, the formula
 * of backups whose manifest names none.
 */
export type ChecksumFormula = 'hashtext' | 'md5';
export const CHECKSUM_FORMULAS: readonly ChecksumFormula[] = ['hashtext', 'md5'];
/** What new backups use. */
export const CURRENT_CHECKSUM_FORMULA: ChecksumFormula = 'hashtext';

/** `schema.table`, the key tables are compared by. */
export const tableKey = (schema: string, table: string): string => `${schema}.${table}`;

const SCRIPT = join(PACKAGE_ROOT, 'src', 'sql', 'backup', 'table-checksums.sql');

/** Deal schemas round-robin into `parts` groups (schemas of one chunk are alike in size). */
function split<T>(items: readonly T[], parts: number): T[][] {
  const groups: T[][] = Array.from({ length: Math.max(1, Math.min(parts, items.length)) }, () => []);
  items.forEach((item, i) => groups[i % groups.length]!.push(item));
  return groups;
}

/**
 * Count and checksum every table of `schemas`, with `parallel` psql sessions. Given a
 * snapshot id, every session imports it (SET TRANSACTION SNAPSHOT), so the figures are
 * those of the moment pg_dump dumped; each session commits when done, so no session holds
 * locks beyond its share of one chunk. `formula` is the one the manifest names (create:
 * the current one). The SQL is src/sql/backup/table-checksums.sql; the values reach it as
 * psql variables, which psql quotes (:'name').
 * @param parallel psql sessions at once @default 1
 */
export async function tableChecksums(
  psql: PgTool,
  connection: ConnectionConfig,
  schemas: readonly string[],
  options: { formula: ChecksumFormula; snapshot?: string; parallel?: number; env: NodeJS.ProcessEnv; signal?: AbortSignal; what: string },
): Promise<TableFigures[]> {
  if (schemas.length === 0) return [];
  const groups = split(schemas, options.parallel ?? 1);
  const results = await Promise.all(
    groups.map(async (group) => {
      const args = ['-X', '-q', '--csv', '-t', '-v', `schemas=${JSON.stringify(group)}`, '-v', `formula=${options.formula}`];
      if (options.snapshot) args.push('-v', `snapshot=${options.snapshot}`);
      args.push('-f', SCRIPT);
      const { stdout } = await runTool(psql, args, { connection, env: options.env, signal: options.signal, what: options.what });
      return (parse(stdout, { relax_column_count: false }) as string[][]).map(([schema, table, rows, checksum]) => ({
        schema: schema!,
        table: table!,
        rows: Number(rows),
        checksum: checksum!,
      }));
    }),
  );
  return results.flat();
}
