import type { Sql } from '../../db/connect.js';
import type { Fragment } from '../../csv/sql-parts.js';
import { query } from '../../db/queries.js';
import type { Classification, PooledDeclarations } from '../../pooled/index.js';
import { col, cols, makeScope, ownerOf, rowKey, tableRef, type Scope } from '../../pooled/scope.js';
import type { Reclaims } from './reclaim.js';
import { backupKeyOf } from './identity.js';
import type { StagedTable } from './stage.js';

/** A restored row that cannot go in: it collides with a live row, or points at a row that is gone. */
export interface RestoreConflict {
  kind: 'collision' | 'missing-parent';
  table: string;
  /** The restored row's key (primary key columns joined by ','). */
  row: string;
  /** collision: the unique key; missing-parent: the foreign key. */
  constraint: string;
  columns: string[];
  /** The colliding or referencing values, joined by ','. */
  values: string;
  /** collision: the live row's key and its owner (registry key; null for a platform row). */
  liveRow?: string;
  liveOwner?: string | null;
  /** missing-parent: the table the row points at. */
  parent?: string;
}

/** Conflicts shown per key or foreign key: enough to act on, never the whole table. */
const SAMPLE = 20;

interface UniqueKey { table_name: string; index_name: string; is_primary: boolean; columns: string[] }

/** A table's primary key columns (none: the table has no primary key). */
export const pkOf = (cls: Classification, table: string): string[] => cls.catalog.tables.find((t) => t.name === table)?.primaryKey ?? [];

/**
 * Shared people (Prometric users) another organization still employs are still there: the
 * live row stays as it is and the restored memberships point at it. Removed from the stage.
 */
export async function keepLiveSharedRows(tx: Sql, staged: readonly StagedTable[], cls: Classification): Promise<Record<string, number>> {
  const kept: Record<string, number> = {};
  for (const stage of staged) {
    const pk = pkOf(cls, stage.table);
    if (cls.tables.find((t) => t.table === stage.table)?.class !== 'shared-identity' || !pk.length) continue;
    const s = makeScope(tx, cls, '', undefined);
    const gone = await tx`delete from ${tx(stage.stage)} s where exists (select 1 from ${tableRef(s, stage.table)} l where ${cols(s, 'l', pk)} = ${cols(s, 's', pk)})`;
    if (gone.count) kept[stage.table] = gone.count;
  }
  return kept;
}

/** Restored rows whose primary key or unique key equals a live row's: who holds it, and which row. */
async function collisions(tx: Sql, s: Scope, staged: readonly StagedTable[], cls: Classification, reclaims: Reclaims, renamed: boolean): Promise<RestoreConflict[]> {
  const found: RestoreConflict[] = [];
  const keys = await query<UniqueKey>(tx, 'backup-pooled/unique-keys', [cls.schema]);
  for (const stage of staged) {
    const pk = pkOf(cls, stage.table);
    const reclaim = reclaims.get(stage.table);
    // A row taken back from the placeholder collides with itself only.
    const own = reclaim ? s.sql`where not (${cols(s, 'l', pk)} = ${cols(s, 's', pk)} and ${cols(s, 's', pk)} in (select ${s.sql(pk)} from ${s.sql(reclaim)}))` : s.sql``;
    for (const key of keys.filter((k) => k.table_name === stage.table && k.columns.every((c) => stage.columns.includes(c)))) {
      const rows = (await tx`select ${rowOf(tx, s, stage, pk, renamed)} as row, ${rowKey(s, key.columns, 's')} as values,
          ${rowKey(s, pk, 'l')} as live_row, ${ownerOf(s, stage.table, 'l')} as live_owner
        from ${tx(stage.stage)} s join ${tableRef(s, stage.table)} l on ${cols(s, 'l', key.columns)} = ${cols(s, 's', key.columns)}
        ${own}
        order by 1 limit ${SAMPLE}`) as unknown as { row: string; values: string; live_row: string; live_owner: string | null }[];
      for (const r of rows) found.push({ kind: 'collision', table: stage.table, row: r.row, constraint: key.index_name, columns: key.columns, values: r.values, liveRow: r.live_row, liveOwner: r.live_owner });
    }
  }
  return found;
}

/**
 * Restored rows whose foreign key points at a row that is neither live nor restored with
 * them: a shared or another organization's row deleted since the backup. MATCH SIMPLE, as
 * PostgreSQL checks it: a key with a NULL column points at nothing.
 */
async function missingParents(tx: Sql, s: Scope, staged: readonly StagedTable[], cls: Classification, renamed: boolean): Promise<RestoreConflict[]> {
  const found: RestoreConflict[] = [];
  const byTable = new Map(staged.map((x) => [x.table, x]));
  for (const fk of cls.catalog.foreignKeys) {
    const stage = byTable.get(fk.table);
    if (!stage) continue;
    const parentStage = byTable.get(fk.parent);
    const pk = pkOf(cls, fk.table);
    const set = fk.columns.map((c, i) => (i === 0 ? s.sql`${col(s, 's', c)} is not null` : s.sql` and ${col(s, 's', c)} is not null`));
    const restored = parentStage ? s.sql`and not exists (select 1 from ${tx(parentStage.stage)} sp where ${cols(s, 'sp', fk.parentColumns)} = ${cols(s, 's', fk.columns)})` : s.sql``;
    const rows = (await tx`select ${rowOf(tx, s, stage, pk, renamed)} as row, ${rowKey(s, fk.columns, 's')} as values
      from ${tx(stage.stage)} s
      where ${set} and not exists (select 1 from ${tableRef(s, fk.parent)} p where ${cols(s, 'p', fk.parentColumns)} = ${cols(s, 's', fk.columns)}) ${restored}
      order by 1 limit ${SAMPLE}`) as unknown as { row: string; values: string }[];
    for (const r of rows) found.push({ kind: 'missing-parent', table: fk.table, row: r.row, constraint: fk.name, columns: fk.columns, values: r.values, parent: fk.parent });
  }
  return found;
}

/** A staged row as reports name it: its key in the backup (after --as gave it new ones, the frozen one), else its ctid. */
const rowOf = (tx: Sql, s: Scope, stage: StagedTable, pk: readonly string[], renamed: boolean): Fragment =>
  renamed && pk.length ? backupKeyOf(tx, stage, pk, 's') : rowKey(s, pk, 's');

/**
 * Every reason the staged rows cannot go into the live tables (empty: they can). `renamed`:
 * giveNewIdentity ran (--as), and rows are named by their keys in the backup.
 */
export async function findConflicts(tx: Sql, staged: readonly StagedTable[], cls: Classification, decl: PooledDeclarations, reclaims: Reclaims, renamed = false): Promise<RestoreConflict[]> {
  const s = makeScope(tx, cls, '', decl.sharedIdentity, 'export');
  return [...(await collisions(tx, s, staged, cls, reclaims, renamed)), ...(await missingParents(tx, s, staged, cls, renamed))];
}

/** One line per conflict, for the error message and the terminal. */
export function conflictLine(c: RestoreConflict): string {
  if (c.kind === 'collision') {
    return `${c.table} ${c.row}: ${c.columns.join(', ')} = ${c.values} (${c.constraint}) is already taken by live row ${c.liveRow}${c.liveOwner ? ` of organization ${c.liveOwner}` : ' (a platform row)'}`;
  }
  return `${c.table} ${c.row}: ${c.columns.join(', ')} = ${c.values} points at ${c.parent}, which no longer has that row and the backup does not restore it (another organization's or a shared row) — ${c.constraint}`;
}
