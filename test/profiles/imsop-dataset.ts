import type { Sql } from '../../src/db/connect.js';
import { PACKAGE_ROOT } from '../../src/db/queries.js';

/** The IMSOP crossing dataset (see imsop-crossing.md). */
export const CROSSING_SQL = `${PACKAGE_ROOT}test/profiles/data/imsop-crossing.sql`;

/** The dataset's three organizations. */
export const ORGS = {
  A: '00000001-0000-4000-8000-0000000000a0',
  B: '00000001-0000-4000-8000-0000000000b0',
  C: '00000001-0000-4000-8000-0000000000c0',
} as const;

const direct = (alias: string) => `${alias}.organization_id`;

/**
 * The owning organization of a row of each tenant table, as SQL over a row alias: the
 * tenant column, or the owner path POOLED.md §1 declares (inventory: the warehouse;
 * two-parent link rows: the first parent). Test-side knowledge, not the engine's.
 */
export const OWNER: Record<string, (alias: string) => string> = {
  users: direct, roles: direct, suppliers: direct, products: direct, warehouses: direct,
  purchase_orders: direct, shipments: direct, analytics_events: direct, analytics_metrics: direct,
  role_permissions: (a) => `(select r.organization_id from roles r where r.id = ${a}.role_id)`,
  user_roles: (a) => `(select u.organization_id from users u where u.id = ${a}.user_id)`,
  inventory: (a) => `(select w.organization_id from warehouses w where w.id = ${a}.warehouse_id)`,
  inventory_transactions: (a) => `(select w.organization_id from inventory i join warehouses w on w.id = i.warehouse_id where i.id = ${a}.inventory_id)`,
  purchase_order_items: (a) => `(select po.organization_id from purchase_orders po where po.id = ${a}.purchase_order_id)`,
  shipment_tracking: (a) => `(select s.organization_id from shipments s where s.id = ${a}.shipment_id)`,
};

/** Rows per owning organization, per tenant table. */
export async function ownedRowCounts(sql: Sql): Promise<Record<string, Record<string, number>>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const [table, owner] of Object.entries(OWNER)) {
    const rows = await sql.unsafe<{ org: string; n: number }[]>(`select ${owner('t')}::text as org, count(*)::int as n from ${table} t group by 1`);
    counts[table] = Object.fromEntries(rows.map((r) => [r.org, r.n]));
  }
  return counts;
}

/** Every row whose foreign key points at a row another organization owns (catalog-driven). */
export async function crossingFkRows(sql: Sql): Promise<{ table: string; column: string; id: string; owner: string; refOwner: string }[]> {
  const fks = await sql<{ table: string; column: string; ref_table: string }[]>`
    select c.conrelid::regclass::text as table, a.attname::text as column, c.confrelid::regclass::text as ref_table
    from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.contype = 'f' and c.connamespace = 'public'::regnamespace`;
  const found = [];
  for (const fk of fks.filter((f) => OWNER[f.table] && OWNER[f.ref_table])) {
    const rows = await sql.unsafe<{ id: string; owner: string; ref_owner: string }[]>(`
      select t.id::text as id, ${OWNER[fk.table]!('t')}::text as owner,
             (select ${OWNER[fk.ref_table]!('p')} from ${fk.ref_table} p where p.id = t.${fk.column})::text as ref_owner
      from ${fk.table} t where t.${fk.column} is not null`);
    for (const r of rows) if (r.owner !== r.ref_owner) found.push({ table: fk.table, column: fk.column, id: r.id, owner: r.owner, refOwner: r.ref_owner });
  }
  return found;
}
