import type { Sql } from '../../db/connect.js';
import type { Classification, PooledDeclarations } from '../../pooled/index.js';
import { cols, makeScope, ownerOf, tableRef } from '../../pooled/scope.js';
import type { StagedTable } from './stage.js';

/** Per table, the temporary table holding the primary keys of rows to take back from the placeholder. */
export type Reclaims = Map<string, string>;

/**
 * The organization's own rows that its erasure kept for other organizations by re-pointing
 * them at the profile's placeholder (`--shared-rows tombstone`: ABParts customer orders and
 * transfers): the live row is the restored row, under the placeholder. They are taken back
 * (updated to the backup's version) instead of counting as collisions. Found once, before
 * anything is written: while parents are taken back, a child's owner changes under it.
 */
export async function findReclaims(tx: Sql, staged: readonly StagedTable[], cls: Classification, decl: PooledDeclarations): Promise<Reclaims> {
  const placeholders = (decl.tombstone?.rows ?? []).filter((r) => r.table === decl.registry.table).map((r) => r.key);
  const reclaims: Reclaims = new Map();
  if (!placeholders.length) return reclaims;
  const s = makeScope(tx, cls, '', decl.sharedIdentity, 'export');
  for (const stage of staged) {
    const pk = cls.catalog.tables.find((t) => t.name === stage.table)?.primaryKey ?? [];
    if (!pk.length) continue;
    const name = `${stage.stage}_reclaim`;
    const made = await tx`create temporary table ${tx(name)} on commit drop as
      select ${pk.map((c, i) => (i === 0 ? tx`s.${tx(c)}` : tx`, s.${tx(c)}`))} from ${tx(stage.stage)} s
      join ${tableRef(s, stage.table)} l on ${cols(s, 'l', pk)} = ${cols(s, 's', pk)}
      where ${ownerOf(s, stage.table, 'l')} = any(${placeholders}::text[])`;
    if (made.count) reclaims.set(stage.table, name);
    else await tx`drop table ${tx(name)}`;
  }
  return reclaims;
}
