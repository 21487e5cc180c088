import type { Sql } from '../db/connect.js';
import type { Fragment } from '../csv/sql-parts.js';
import type { Classification } from './classify.js';
import type { PooledDeclarations } from './declarations.js';
import { withDetachedPartitions } from './detached.js';
import { deleteOrder } from './order.js';
import { cols, makeScope, notOwned, owned, selectList, tableRef } from './scope.js';
import type { TenantRowSet } from './row-sets.js';
import { ident } from '../db/ident.js';

/**
 * Per table, the rows another organization owns that the tenant takes part in: rows pointing
 * at the tenant's rows through a declared co-owned link (an ABParts transfer from another
 * organization's warehouse into the tenant's, another customer's consumption on the tenant's
 * machine), or naming the tenant in a second registry column of a direct table. They are the
 * rows the profile's row-level security design lets the tenant see beside its own (POOLED.md
 * §2), and the tenant's own figures derive from them (stock "calculated from transaction
 * history" counts the transfers in). Never among tenantRowSets: erasure, backup row sets and
 * restore leave them to their owner. Parents first; only tables that have such links.
 */
export function partyRowSets(sql: Sql, declared: PooledDeclarations, cls: Classification, tenantId: string): TenantRowSet[] {
  const decl = withDetachedPartitions(declared, cls.catalog);
  const s = makeScope(sql, cls, tenantId, decl.sharedIdentity, 'export');
  const links = new Map<string, Fragment[]>();
  const add = (table: string, f: Fragment) => links.set(table, [...(links.get(table) ?? []), f]);
  for (const c of decl.coOwned ?? []) {
    const fk = cls.catalog.foreignKeys.find((f) => f.table === c.table && f.columns.join() === c.columns.join());
    if (fk) add(c.table, sql`${cols(s, 't', fk.columns)} in (select ${selectList(s, 'p', fk.parentColumns)} from ${tableRef(s, fk.parent)} p where ${owned(s, fk.parent, 'p')})`);
  }
  for (const t of cls.tables) {
    for (const c of t.class === 'direct' ? t.otherTenantColumns : []) add(t.table, sql`t.${ident(sql, c)} = ${tenantId}`);
  }
  const byName = new Map(cls.tables.map((t) => [t.table, t]));
  return deleteOrder(cls, decl).tables.reverse().filter((table) => links.has(table)).map((table) => {
    const t = byName.get(table)!;
    const any = links.get(table)!.map((f, i) => (i === 0 ? f : sql` or ${f}`));
    return { table, class: t.class, ownerPath: t.ownerPath, select: sql`select t.* from ${tableRef(s, table)} t where (${any}) and ${notOwned(s, table, 't')}` };
  });
}
