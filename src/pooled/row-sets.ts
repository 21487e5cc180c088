import type { Sql } from '../db/connect.js';
import type { Fragment } from '../csv/sql-parts.js';
import type { Classification, TableClass } from './classify.js';
import type { PooledDeclarations } from './declarations.js';
import { withDetachedPartitions } from './detached.js';
import { deleteOrder } from './order.js';
import { makeScope, owned, tableRef } from './scope.js';

/** The tenant's rows of one table, as a statement to run (or to wrap in COPY … TO STDOUT). */
export interface TenantRowSet {
  table: string;
  class: TableClass;
  ownerPath: string;
  /** `select * from schema.table t where <the tenant's rows>`; lazy until awaited. */
  select: Fragment;
}

/**
 * Per table holding the tenant's rows, the SELECT of those rows, parents before children
 * (the order a restore inserts them in): direct tables by their tenant column, indirect ones
 * along their owner path, shared people through their membership (all members, also those
 * another tenant employs). Built on `sql`: run them inside a transaction with
 * `row_security = off` (withRowSecurityOff) so row-level security hides nothing.
 */
export function tenantRowSets(sql: Sql, declared: PooledDeclarations, cls: Classification, tenantId: string): TenantRowSet[] {
  const decl = withDetachedPartitions(declared, cls.catalog);
  const s = makeScope(sql, cls, tenantId, decl.sharedIdentity, 'export');
  const order = deleteOrder(cls, decl).tables.reverse();
  const byName = new Map(cls.tables.map((t) => [t.table, t]));
  return order.map((table) => {
    const t = byName.get(table)!;
    return { table, class: t.class, ownerPath: t.ownerPath, select: sql`select t.* from ${tableRef(s, table)} t where ${owned(s, table, 't')}` };
  });
}
