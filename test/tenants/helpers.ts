import type { Sql } from '../../src/db/connect.js';
import { createTenant, type CreatedTenant } from '../../src/tenants/create.js';
import { schemaPerTenant } from '../../src/tenancy/strategy.js';

/** Create a tenant through the core and give it a few products and users of its own. */
export async function seedTenant(sql: Sql, slug: string, products = 3): Promise<CreatedTenant> {
  const tenant = await createTenant(sql, { slug, name: `${slug} Ltd`, plan: 'starter', ownerEmail: `owner@${slug.replace(/_/g, '-')}.test` }, { strategy: schemaPerTenant });
  for (let i = 0; i < products; i += 1) {
    await sql`insert into ${sql(tenant.schema)}.products (sku, name, selling_price) values (${`${slug}-sku-${i}`}, ${`Product ${i} of ${slug}`}, ${10 + i})`;
  }
  await sql`insert into ${sql(tenant.schema)}.users (email, name) values (${`staff@${slug.replace(/_/g, '-')}.test`}, 'Staff')`;
  await sql`insert into public.audit_logs (tenant_id, action, entity_type, entity_id) values (${tenant.id}, 'test.seeded', 'tenant', ${tenant.id})`;
  return tenant;
}

/** md5 of every row of every table in a schema, table by table (order-independent within a table). */
export async function schemaChecksum(sql: Sql, schema: string): Promise<Record<string, string>> {
  const tables = await sql`select tablename from pg_tables where schemaname = ${schema} order by 1`;
  const out: Record<string, string> = {};
  for (const { tablename } of tables) {
    const [row] = await sql`select count(*)::int as n, coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as h from ${sql(schema)}.${sql(tablename as string)} t`;
    out[tablename as string] = `${row!.n}:${row!.h}`;
  }
  return out;
}

/**
 * Independent of tenantctl's own scan: every row of every table outside the system schemas
 * whose JSON text mentions the value. Returns "schema.table" → rows.
 */
export async function mentions(sql: Sql, value: string, exclude: string[] = ['tenantctl.erasure_receipts']): Promise<Record<string, number>> {
  const tables = await sql`select schemaname, tablename from pg_tables where schemaname not in ('pg_catalog', 'information_schema') order by 1, 2`;
  const out: Record<string, number> = {};
  for (const { schemaname, tablename } of tables) {
    const name = `${schemaname}.${tablename}`;
    if (exclude.includes(name)) continue;
    const [row] = await sql`select count(*)::int as n from ${sql(schemaname as string)}.${sql(tablename as string)} t where strpos(row_to_json(t)::text, ${value}) > 0`;
    if (row!.n) out[name] = row!.n as number;
  }
  return out;
}

/** Checksum of a tenant's rows in the shared tables this test knows about. */
export async function sharedChecksum(sql: Sql, tenantId: string, extra: { table: string; column: string }[] = []): Promise<Record<string, string>> {
  const tables = [{ table: 'public.tenants', column: 'id' }, { table: 'public.subscriptions', column: 'tenant_id' }, { table: 'public.audit_logs', column: 'tenant_id' }, { table: 'public.tenant_features', column: 'tenant_id' }, ...extra];
  const out: Record<string, string> = {};
  for (const { table, column } of tables) {
    const [schema, name] = table.split('.') as [string, string];
    const [row] = await sql`select count(*)::int as n, coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as h from ${sql(schema)}.${sql(name)} t where ${sql(column)}::text = ${tenantId}`;
    out[table] = `${row!.n}:${row!.h}`;
  }
  return out;
}

/** Does a schema exist? */
export async function schemaExists(sql: Sql, schema: string): Promise<boolean> {
  const [row] = await sql`select exists (select 1 from pg_namespace where nspname = ${schema}) as e`;
  return row!.e as boolean;
}
