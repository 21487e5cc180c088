import type { Sql } from '../../db/connect.js';
import type { Classification } from '../../pooled/index.js';
import { linkChain } from '../../pooled/index.js';
import { cols, makeScope, tableRef } from '../../pooled/scope.js';
import type { StagedTable } from './stage.js';

/**
 * `restore-tenant`, before a copy (--as) gets new keys: the rows a shared person owns
 * (Prometric `email_verifications` → `users`) whose person is still in the live database
 * (another organization employs them) are theirs and already there, as they are now. A copy
 * employs the same person and must not give them a second set of rows under new keys, rows
 * every other organization employing them would then see; the organization restored as itself
 * must not write back the backup's version of them (a verification used or deleted since) nor
 * collide with them. Removed from the stage; counted per table (reported with the shared people
 * kept as live). Only rows whose owner link points straight at the shared-identity table; found
 * from the classification, the same for every profile.
 */
export async function keepLivePeoplesRows(tx: Sql, staged: readonly StagedTable[], cls: Classification): Promise<Record<string, number>> {
  const shared = new Set(cls.tables.filter((t) => t.class === 'shared-identity').map((t) => t.table));
  const s = makeScope(tx, cls, '', undefined);
  const kept: Record<string, number> = {};
  for (const stage of staged) {
    const t = cls.tables.find((x) => x.table === stage.table);
    if (t?.class !== 'indirect' || !t.owner) continue;
    for (const link of linkChain(t.owner).filter((l) => shared.has(l.parent))) {
      const gone = await tx`delete from ${tx(stage.stage)} s where exists (select 1 from ${tableRef(s, link.parent)} l where ${cols(s, 'l', link.parentColumns)} = ${cols(s, 's', link.columns)})`;
      if (gone.count) kept[stage.table] = (kept[stage.table] ?? 0) + gone.count;
      stage.rows -= gone.count;
    }
  }
  return kept;
}
