import type { Sql } from '../../src/db/connect.js';

/** What the schema tests read from the catalog of one schema (public by default); partitions are left out (they repeat their parent). */
export interface CatalogColumn {
  table: string;
  column: string;
  type: string;
  not_null: boolean;
  generated: string;
  default_expr: string | null;
}

export interface CatalogIndex {
  table: string;
  index: string;
  columns: string[];
  unique: boolean;
  /** pg_get_indexdef(): CREATE [UNIQUE] INDEX … USING method (keys) [WHERE …]. */
  definition: string;
}

export interface CatalogConstraint {
  table: string;
  name: string;
  type: string;
  columns: string[];
  ref_table: string | null;
  ref_columns: string[];
  on_delete: string;
  /** pg_get_constraintdef(). */
  definition: string;
}

/** Tables (partitioned ones included, partitions not: they repeat their parent). */
export async function catalogTables(sql: Sql, schema = 'public'): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    select c.relname::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relkind in ('r', 'p') and not c.relispartition order by 1`;
  return rows.map((r) => r.name);
}

export async function catalogColumns(sql: Sql, schema = 'public'): Promise<CatalogColumn[]> {
  return sql<CatalogColumn[]>`
    select c.relname::text as table, a.attname::text as column, format_type(a.atttypid, a.atttypmod) as type,
           a.attnotnull as not_null, a.attgenerated::text as generated, pg_get_expr(d.adbin, d.adrelid) as default_expr
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where n.nspname = ${schema} and c.relkind in ('r', 'p') and not c.relispartition and a.attnum > 0 and not a.attisdropped`;
}

export async function catalogIndexes(sql: Sql, schema = 'public'): Promise<CatalogIndex[]> {
  return sql<CatalogIndex[]>`
    select t.relname::text as table, i.relname::text as index,
           array(select a.attname::text from unnest(ix.indkey::int2[]) with ordinality k(attnum, ord)
                 join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum order by k.ord) as columns,
           ix.indisunique as unique, pg_get_indexdef(ix.indexrelid) as definition
    from pg_index ix
    join pg_class i on i.oid = ix.indexrelid
    join pg_class t on t.oid = ix.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = ${schema} and not t.relispartition`;
}

export async function catalogConstraints(sql: Sql, schema = 'public'): Promise<CatalogConstraint[]> {
  return sql<CatalogConstraint[]>`
    select t.relname::text as table, con.conname::text as name, con.contype::text as type,
           array(select a.attname::text from unnest(con.conkey) with ordinality k(attnum, ord)
                 join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.ord) as columns,
           r.relname::text as ref_table,
           array(select a.attname::text from unnest(coalesce(con.confkey, '{}')) with ordinality k(attnum, ord)
                 join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.ord) as ref_columns,
           con.confdeltype::text as on_delete, pg_get_constraintdef(con.oid) as definition
    from pg_constraint con
    join pg_class t on t.oid = con.conrelid
    left join pg_class r on r.oid = con.confrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = ${schema} and not t.relispartition`;
}

/** Enum type name → labels in their declared order. */
export async function catalogEnums(sql: Sql, schema = 'public'): Promise<Map<string, string[]>> {
  const rows = await sql<{ name: string; labels: string[] }[]>`
    select t.typname::text as name, array_agg(e.enumlabel::text order by e.enumsortorder) as labels
    from pg_type t join pg_enum e on e.enumtypid = t.oid join pg_namespace n on n.oid = t.typnamespace
    where n.nspname = ${schema} group by t.typname`;
  return new Map(rows.map((r) => [r.name, r.labels]));
}

/** User triggers as table → trigger name → definition. */
export async function catalogTriggers(sql: Sql, schema = 'public'): Promise<{ table: string; name: string; definition: string }[]> {
  return sql`
    select c.relname::text as table, tg.tgname::text as name, pg_get_triggerdef(tg.oid) as definition
    from pg_trigger tg join pg_class c on c.oid = tg.tgrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and not tg.tgisinternal`;
}

/** Everything a migration can leave in a schema: relations, types, routines. */
export async function objectsIn(sql: Sql, schema = 'public'): Promise<string[]> {
  const rows = await sql<{ object: string }[]>`
    select 'relation ' || c.relname as object from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema}
    union all
    select 'type ' || t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = ${schema} and t.typtype in ('e', 'c', 'd', 'r', 'm') and t.typrelid = 0
    union all
    select 'routine ' || p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = ${schema}
    union all
    select 'policy ' || pol.polname from pg_policy pol join pg_class c on c.oid = pol.polrelid
      join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema}
    order by 1`;
  return rows.map((r) => r.object);
}
