import { readFileSync } from 'node:fs';
import type { Sql } from '../../src/db/connect.js';
import type { PooledDeclarations } from '../../src/pooled/declarations.js';

/** The synthetic pooled schema (test/pooled/fixtures/synthetic.sql) and its declarations. */
export const SYNTHETIC_SQL = readFileSync(new URL('./fixtures/synthetic.sql', import.meta.url), 'utf8');

export const SYNTHETIC: PooledDeclarations = {
  schema: 'app',
  registry: { table: 'organizations', key: 'id', handle: 'name', status: 'status', nonErasable: { column: 'kind', values: ['platform'], reason: 'it is a platform singleton' } },
  tenantColumns: [
    { table: 'system_logs', column: 'organization_id' },
    { table: 'contracts', column: 'customer_organization_id' },
  ],
  ownerPaths: [
    { table: 'inventory', columns: ['warehouse_id'] },
    { table: 'purchase_order_items', columns: ['purchase_order_id'] },
    { table: 'user_roles', columns: ['user_id'] },
  ],
  globalTables: ['permissions'],
  people: [{ table: 'users', emailColumn: 'email' }],
  personalData: [
    { table: 'analytics_events', column: 'entity_id', holds: 'ids', of: 'users', action: 'nullify' },
    { table: 'analytics_events', column: 'metadata', holds: 'emails', action: 'scrub' },
    { table: 'system_logs', column: 'message', holds: 'emails', action: 'scrub' },
  ],
  references: [
    { table: 'shipments', columns: ['destination_warehouse_id'], action: 'nullify', note: 'a transfer into the erased tenant\'s warehouse: its destination is cleared (reported)' },
  ],
  tombstone: {
    rows: [
      { table: 'organizations', key: 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee', values: { name: 'erased organization', status: 'inactive', kind: 'tombstone' } },
      { table: 'users', key: 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeee1', values: { organization_id: 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee', email: 'erased@invalid', first_name: null } },
    ],
  },
};

/** Deterministic ids: `id('a', 3)` = aaaaaaaa-0000-4000-8000-000000000003. */
export const id = (p: string, n: number): string => `${p.repeat(8)}-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const email = (p: string, n = 1): string => `u${n}@${p}-org.test`;

export const PERMISSION = '0f0f0f0f-0000-4000-8000-000000000001';

/** Load the schema and the global catalogue rows. */
export async function loadSynthetic(sql: Sql): Promise<void> {
  await sql.unsafe(SYNTHETIC_SQL).simple();
  await sql`insert into app.permissions (id, name) values (${PERMISSION}, 'inventory.read')`;
  await sql`insert into app.app_settings (organization_id, key) values (null, 'platform.theme')`;
  await sql`insert into app.system_logs (organization_id, message) values (null, 'platform boot')`;
}

/** One organization with a row in every tenant table, none crossing to another tenant. */
export async function addOrganization(sql: Sql, p: string, kind = 'customer'): Promise<string> {
  const o = id(p, 0);
  await sql.unsafe(`
    set search_path = app;
    insert into organizations (id, name, kind) values ('${o}', 'Org ${p.toUpperCase()}', '${kind}');
    insert into users (id, organization_id, email, first_name) values ('${id(p, 1)}', '${o}', '${email(p)}', 'Ann'), ('${id(p, 2)}', '${o}', '${email(p, 2)}', 'Bob');
    insert into roles (id, organization_id, name) values ('${id(p, 3)}', '${o}', 'admin');
    insert into role_permissions (id, role_id, permission_id) values ('${id(p, 4)}', '${id(p, 3)}', '${PERMISSION}');
    insert into user_roles (id, user_id, role_id) values ('${id(p, 5)}', '${id(p, 1)}', '${id(p, 3)}');
    insert into suppliers (id, organization_id, name, email) values ('${id(p, 6)}', '${o}', 'Supplier ${p}', 'sales@supplier-${p}.test');
    insert into products (id, organization_id, sku, name) values ('${id(p, 7)}', '${o}', 'SKU-1', 'Widget');
    insert into warehouses (id, organization_id, name, manager_id) values ('${id(p, 8)}', '${o}', 'Main', '${id(p, 1)}');
    insert into inventory (id, warehouse_id, product_id, quantity_on_hand) values ('${id(p, 9)}', '${id(p, 8)}', '${id(p, 7)}', 10);
    insert into inventory_transactions (id, inventory_id, quantity, created_by, notes) values ('${id(p, 10)}', '${id(p, 9)}', 10, '${id(p, 1)}', 'initial count');
    insert into purchase_orders (id, organization_id, supplier_id, po_number, created_by) values ('${id(p, 11)}', '${o}', '${id(p, 6)}', 'PO-1', '${id(p, 1)}');
    insert into purchase_order_items (id, purchase_order_id, product_id, quantity_ordered) values ('${id(p, 12)}', '${id(p, 11)}', '${id(p, 7)}', 5);
    insert into shipments (id, organization_id, shipment_type, origin_warehouse_id) values ('${id(p, 13)}', '${o}', 'outbound', '${id(p, 8)}');
    insert into shipment_tracking (id, shipment_id, location) values ('${id(p, 14)}', '${id(p, 13)}', 'Depot');
    insert into analytics_events (id, organization_id, event_type, entity_id, user_id, metadata)
      values ('${id(p, 15)}', '${o}', 'login', '${id(p, 1)}', '${id(p, 1)}', '{"email": "${email(p)}"}');
    insert into contracts (id, customer_organization_id, vendor_organization_id, title) values ('${id(p, 16)}', '${o}', '${o}', 'internal');
    insert into departments (id, organization_id, name) values ('${id(p, 17)}', '${o}', 'Sales');
    insert into employees (id, organization_id, department_id, full_name) values ('${id(p, 18)}', '${o}', '${id(p, 17)}', 'Ann');
    insert into employees (id, organization_id, department_id, manager_id, full_name) values ('${id(p, 19)}', '${o}', '${id(p, 17)}', '${id(p, 18)}', 'Bob');
    update departments set head_id = '${id(p, 18)}' where id = '${id(p, 17)}';
    insert into system_logs (organization_id, message) values ('${o}', 'login ${email(p)}');
    insert into app_settings (id, organization_id, key, updated_by) values ('${id(p, 20)}', '${o}', 'theme', '${id(p, 1)}');
    insert into product_notes (id, organization_id, product_id, body) values ('${id(p, 21)}', '${o}', '${id(p, 7)}', 'fragile');
    insert into audit_trail (id, organization_id, actor_id, action) values ('${id(p, 22)}', '${o}', '${id(p, 1)}', 'created');
  `).simple();
  return o;
}

/**
 * Rows of organization `from` that point at organization `to`'s rows in the ways that only
 * need nullify / unlink / scrub (ids `base` + 0…8 of `from`).
 */
export async function plantSoftCrossings(sql: Sql, from: string, to: string, base = 100): Promise<void> {
  const f = id(from, 0);
  const n = (k: number) => id(from, base + k);
  await sql.unsafe(`
    set search_path = app;
    insert into user_roles (id, user_id, role_id) values ('${n(0)}', '${id(from, 2)}', '${id(to, 3)}');
    insert into warehouses (id, organization_id, name, manager_id) values ('${n(1)}', '${f}', 'Managed by ${to}', '${id(to, 1)}');
    insert into inventory_transactions (id, inventory_id, quantity, created_by) values ('${n(2)}', '${id(from, 9)}', 1, '${id(to, 1)}');
    insert into purchase_orders (id, organization_id, supplier_id, po_number, created_by) values ('${n(3)}', '${f}', '${id(from, 6)}', 'PO-X-${to}', '${id(to, 2)}');
    insert into analytics_events (id, organization_id, event_type, entity_id, user_id, metadata)
      values ('${n(4)}', '${f}', 'shared', '${id(to, 1)}', '${id(to, 1)}', '{"by": "${email(to).toUpperCase()}", "ok": true}');
    insert into shipments (id, organization_id, shipment_type, origin_warehouse_id, destination_warehouse_id) values ('${n(5)}', '${f}', 'transfer', '${id(from, 8)}', '${id(to, 8)}');
    insert into employees (id, organization_id, department_id, manager_id, full_name) values ('${n(6)}', '${f}', '${id(from, 17)}', '${id(to, 18)}', 'Cross-managed');
    insert into departments (id, organization_id, name, head_id) values ('${n(7)}', '${f}', 'Headed by ${to}', '${id(to, 18)}');
    insert into app_settings (id, organization_id, key, updated_by) values ('${n(8)}', null, 'platform.flag', '${id(to, 1)}');
    insert into system_logs (organization_id, message) values (null, 'support contacted ${email(to, 2)} about ${f}');
  `).simple();
}

/** Rows of organization `from` that hold a required reference to `to`'s rows (each must refuse). */
export async function plantHardCrossings(sql: Sql, from: string, to: string): Promise<void> {
  const f = id(from, 0);
  await sql.unsafe(`
    set search_path = app;
    insert into inventory (id, warehouse_id, product_id) values ('${id(from, 110)}', '${id(from, 8)}', '${id(to, 7)}');
    insert into purchase_orders (id, organization_id, supplier_id, po_number) values ('${id(from, 111)}', '${f}', '${id(to, 6)}', 'PO-S');
    insert into purchase_order_items (id, purchase_order_id, product_id, quantity_ordered) values ('${id(from, 112)}', '${id(from, 11)}', '${id(to, 7)}', 1);
    insert into contracts (id, customer_organization_id, vendor_organization_id, title) values ('${id(from, 113)}', '${id(to, 0)}', '${f}', 'co-owned: ${to} buys from ${from}');
    insert into product_notes (id, organization_id, product_id, body) values ('${id(from, 114)}', '${f}', '${id(to, 7)}', 'note on a product of ${to}');
    insert into audit_trail (id, organization_id, actor_id, action) values ('${id(from, 115)}', '${f}', '${id(to, 1)}', 'approved');
  `).simple();
}

/** md5 of every table's rows (sorted), for byte-identical before/after checks. */
export async function checksums(sql: Sql, schema = 'app', where?: (table: string) => string): Promise<Record<string, string>> {
  const tables = await sql<{ relname: string }[]>`select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema} and c.relkind in ('r', 'p') order by 1`;
  const out: Record<string, string> = {};
  for (const { relname } of tables) {
    const filter = where?.(relname) ?? 'true';
    const [row] = await sql.unsafe(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as sum, count(*)::int as n from ${schema}.${relname} t where ${filter}`);
    out[relname] = `${row!.n}:${row!.sum}`;
  }
  return out;
}
