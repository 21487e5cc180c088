import type { Sql } from '../../db/connect.js';
import { PassThrough } from 'node:stream';
import { copyIn } from '../../db/copy-in.js';
import { copyOut } from '../../db/copy-out.js';
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
export async function stageRows(tx: Sql, scratch: ScratchCopy, live: Catalog, prefix = 'tenantctl_stage_'): Promise<StagedTable[]> {
  const staged: StagedTable[] = [];
  for (const [i, rows] of scratch.tables.entries()) {
    const missing = missingColumns(live, rows.table, rows.columns);
    if (missing.length) {
      throw new TenantctlError('BACKUP_SCHEMA_CHANGED', `The backup's ${rows.table} has column(s) ${missing.map((c) => `${rows.table}.${c}`).join(', ')} that the live schema "${live.schema}" does not have: restoring would lose their values. Nothing was changed.`, {
        hint: 'Restore into a database at the backup\'s migration version (e.g. a copy made with `backup verify --target-url`), or add the columns back first.',
        details: { table: rows.table, missing },
      });
    }
    const stage = `${prefix}${i}`;
    // LIKE … INCLUDING DEFAULTS: `--as` asks these defaults for new keys.
    await tx`create temporary table ${tx(stage)} (like ${tx(live.schema)}.${tx(rows.table)} including defaults) on commit drop`;
    if (rows.rows > 0) await streamRows(tx, scratch, rows.name, stage, rows.columns);
    staged.push({ table: rows.table, stage, columns: rows.columns, rows: rows.rows });
  }
  return staged;
}

/**
 * One table from the scratch copy into the live stage: the live COPY … FROM STDIN starts
 * first and reads a pass-through that the scratch COPY … TO STDOUT fills (copyOut batches
 * postgres.js's per-row chunks and keeps the source flowing). Either side failing fails
 * both: copyIn stops reading, and copyOut drains the scratch COPY before it throws, so both
 * connections are usable again.
 */
async function streamRows(tx: Sql, scratch: ScratchCopy, name: string, stage: string, columns: string[]): Promise<void> {
  const pass = new PassThrough({ highWaterMark: 1 << 20 });
  const into = copyIn(tx`copy ${tx(stage)} (${tx(columns)}) from stdin`, pass);
  const out = copyOut(scratch.sql`copy ${scratch.sql(ROWS_SCHEMA)}.${scratch.sql(name)} (${scratch.sql(columns)}) to stdout`, [], pass, { end: true });
  const [i, o] = await Promise.allSettled([into, out]);
  if (i.status === 'rejected') throw i.reason;
  if (o.status === 'rejected') throw o.reason;
}
