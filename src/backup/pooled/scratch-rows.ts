import type { ConnectionConfig } from '../../db/config.js';
import { connect, type Sql } from '../../db/connect.js';
import { classify, tenantRowSets, withRowSecurityOff, type Classification } from '../../pooled/index.js';
import type { Manifest } from '../manifest.js';
import { restoreChunk } from '../restored-copy.js';
import type { PgTool } from '../tools.js';
import type { PooledManifest } from './section.js';

/** The schema of the scratch copy that holds the organization's rows, one table per table. */
export const ROWS_SCHEMA = 'tenantctl_rows';

/** One table's rows of the organization, set aside in the scratch copy. */
export interface ScratchRows {
  table: string;
  /** Its name in ROWS_SCHEMA (r0, r1 …: table names may be long). */
  name: string;
  /** The columns as the backup has them, in order. */
  columns: string[];
  rows: number;
}

/** The scratch copy with the organization's rows set aside, and the classification of the backup's schema. */
export interface ScratchCopy {
  sql: Sql;
  cls: Classification;
  tables: ScratchRows[];
}

/**
 * Restore the chunks holding the pooled schema into the scratch database (no owners or
 * privileges: only the rows are wanted), then copy the organization's row sets (the pooled
 * engine's, with the backup's own declarations) into ROWS_SCHEMA, parents first. The caller
 * ends `sql`.
 */
export async function setAsideRows(
  tools: { pgRestore: PgTool },
  backupPath: string,
  manifest: Manifest & { pooled: PooledManifest },
  tenantId: string,
  scratch: ConnectionConfig,
  run: { env: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<ScratchCopy> {
  const pooled = manifest.pooled;
  const chunks = manifest.chunks.filter((c) => c.kind === 'base' || c.schemas.includes(pooled.schema));
  for (const chunk of chunks) await restoreChunk(tools.pgRestore, backupPath, chunk, scratch, { jobs: 1, env: run.env, signal: run.signal, synchronousCommit: false });
  const sql = connect(scratch, { max: 1, rowSecurity: false });
  try {
    const { cls, tables } = await withRowSecurityOff(sql, async (tx) => {
      const t = tx as unknown as Sql;
      const cls = await classify(t, pooled.declarations);
      await t`create schema ${t(ROWS_SCHEMA)}`;
      const tables: ScratchRows[] = [];
      for (const [i, set] of tenantRowSets(t, pooled.declarations, cls, tenantId).entries()) {
        const name = `r${i}`;
        const made = await t`create table ${t(ROWS_SCHEMA)}.${t(name)} as ${set.select}`;
        const columns = cls.catalog.tables.find((x) => x.name === set.table)!.columns.map((c) => c.name);
        tables.push({ table: set.table, name, columns, rows: made.count });
      }
      return { cls, tables };
    });
    return { sql, cls, tables };
  } catch (error) {
    await sql.end({ timeout: 5 });
    throw error;
  }
}
