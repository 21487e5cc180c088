import type { Sql } from '../../db/connect.js';
import { copyIn } from '../../db/copy-in.js';
import { TenantctlError } from '../../errors.js';
import type { Catalog } from '../../pooled/catalog.js';
import { ROWS_SCHEMA, type ScratchCopy } from './scratch-rows.js';

/** One table's rows of the organization, staged in a temporary table of the live transaction. */
export interface StagedTable {
  table: string;
  /** The temporary table (dropped at commit or rollback). */
  stage: string;
  /** The backup's columns, every one present in the live table. */
  columns: string[];
  rows: number;
}

/** Backup columns the live table lacks: the schema moved on since the backup, and a copy would lose data. */
function missingColumns(live: Catalog, table: string, columns: readonly string[]): string[] {
  const t = live.tables.find((x) => x.name === table);
  if (!t) return [...columns];
  return columns.filter((c) => !t.columns.some((x) => x.name === c));
}

/**
 * Stream each table's set-aside rows from the scratch copy (COPY … TO STDOUT) into a
 * temporary table shaped like the live table (COPY … FROM STDIN), inside the live
 * transaction: nothing reaches the live tables yet, and nothing is held in memory. The
 * text format is the server's own, so every type (enums, arrays, JSON) comes across as is.
 */
export async function stageRows(tx: Sql, scratch: ScratchCopy, live: Catalog): Promise<StagedTable[]> {
  const staged: StagedTable[] = [];
  for (const [i, rows] of scratch.tables.entries()) {
    const missing = missingColumns(live, rows.table, rows.columns);
    if (missing.length) {
      throw new TenantctlError('BACKUP_SCHEMA_CHANGED', `The backup's ${rows.table} has column(s) ${missing.map((c) => `${rows.table}.${c}`).join(', ')} that the live schema "${live.schema}" does not have: restoring would lose their values. Nothing was changed.`, {
        hint: 'Restore into a database at the backup\'s migration version (e.g. a copy made with `backup verify --target-url`), or add the columns back first.',
        details: { table: rows.table, missing },
      });
    }
    const stage = `tenantctl_stage_${i}`;
    // LIKE … INCLUDING DEFAULTS: `--as` asks these defaults for new keys.
    await tx`create temporary table ${tx(stage)} (like ${tx(live.schema)}.${tx(rows.table)} including defaults) on commit drop`;
    if (rows.rows > 0) {
      const source = await scratch.sql`copy ${scratch.sql(ROWS_SCHEMA)}.${scratch.sql(rows.name)} (${scratch.sql(rows.columns)}) to stdout`.readable();
      await copyIn(tx`copy ${tx(stage)} (${tx(rows.columns)}) from stdin`, source);
    }
    staged.push({ table: rows.table, stage, columns: rows.columns, rows: rows.rows });
  }
  return staged;
}
