import type { Sql } from '../../db/connect.js';
import type { Fragment } from '../../csv/sql-parts.js';
import type { Classification, PooledDeclarations, TableClass } from '../../pooled/index.js';
import { deleteOrder } from '../../pooled/order.js';
import { col, makeScope, ownerOf, tableRef, type Scope } from '../../pooled/scope.js';

/** One organization of a pooled backup and its rows per table (tables without rows left out). */
export interface PooledTenantRows {
  id: string;
  handle: string;
  rows: Record<string, number>;
}

/** A table holding tenant rows, parents first: the order a restore inserts them in. */
export interface PooledTableEntry {
  table: string;
  class: TableClass;
  ownerPath: string;
}

/**
 * The owner of each row of `table`, grouped: `owner` (the registry key as text) and how many
 * rows it owns. The same rule as the pooled engine's row sets (tenantRowSets): the tenant
 * column, the owner path, or for shared people every organization that employs them (a
 * person employed by two organizations counts for both).
 */
function ownerCounts(s: Scope, table: string): Fragment {
  const t = s.tables.get(table)!;
  if (t.class === 'shared-identity' && s.identity) {
    const m = s.identity.membership;
    return s.sql`select ${col(s, 'm', m.tenantColumn)}::text as owner, count(distinct ${col(s, 'p', s.identity.key)})::bigint as n
      from ${tableRef(s, table)} p join ${tableRef(s, m.table)} m on ${col(s, 'm', m.personColumn)} = ${col(s, 'p', s.identity.key)} group by 1`;
  }
  return s.sql`select ${ownerOf(s, table, 't')} as owner, count(*)::bigint as n from ${tableRef(s, table)} t group by 1`;
}

/** The tables holding tenant rows, parents first (the pooled engine's delete order, reversed). */
export function tenantTables(cls: Classification, decl: PooledDeclarations): PooledTableEntry[] {
  const byName = new Map(cls.tables.map((t) => [t.table, t]));
  return deleteOrder(cls, decl).tables.reverse().map((table) => ({ table, class: byName.get(table)!.class, ownerPath: byName.get(table)!.ownerPath }));
}

/**
 * Rows per organization per table: one GROUP BY per table (not one count per organization
 * and table), so 1,000 organizations cost as much as one. Rows of no organization (platform
 * rows, NULL tenant column) are not counted. Run it inside the snapshot to be described,
 * with row_security off.
 */
export async function rowsPerTenant(sql: Sql, decl: PooledDeclarations, cls: Classification): Promise<PooledTenantRows[]> {
  const s = makeScope(sql, cls, '', decl.sharedIdentity, 'export');
  const reg = decl.registry;
  const tenants = (await sql`select ${sql(reg.key)}::text as id, ${sql(reg.handle)}::text as handle from ${tableRef(s, reg.table)} order by 1`) as unknown as { id: string; handle: string }[];
  const byId = new Map(tenants.map((t) => [t.id, { id: t.id, handle: t.handle, rows: {} as Record<string, number> }]));
  for (const { table } of tenantTables(cls, decl)) {
    const counts = (await ownerCounts(s, table)) as unknown as { owner: string | null; n: string }[];
    for (const { owner, n } of counts) {
      // A row reached through a shared person has every organization employing them as owner ("a,b").
      for (const id of owner?.split(',') ?? []) {
        const tenant = byId.get(id);
        if (tenant) tenant.rows[table] = (tenant.rows[table] ?? 0) + Number(n);
      }
    }
  }
  return [...byId.values()];
}
