import type { Sql } from '../../src/db/connect.js';

/**
 * What the catalog holds in the current schema, in the shapes the profile schema tests
 * compare with a seed. Partitions are reported apart from their parents.
 */

export interface CatalogColumn {
  table: string;
  name: string;
  /** format_type(): character varying(255), numeric(12,2), uuid[], … */
  type: string;
  not_null: boolean;
  default: string | null;
  generated: boolean;
}

export const catalogTables = async (sql: Sql): Promise<string[]> =>
  (await sql<{ name: string }[]>`
    select c.relname as name from pg_class c
    where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
    order by 1`).map((r) => r.name);

export const catalogColumns = async (sql: Sql): Promise<CatalogColumn[]> =>
  sql<CatalogColumn[]>`
    select c.relname as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
           a.attnotnull as not_null, pg_get_expr(d.adbin, d.adrelid) as default, a.attgenerated = 's' as generated
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p') and not c.relispartition
      and a.attnum > 0 and not a.attisdropped`;

/** Indexes of tables and materialized views (not of partitions: they inherit the parent's). */
export const catalogIndexes = async (sql: Sql): Promise<{ name: string; table: string; unique: boolean; definition: string }[]> =>
  sql`
    select i.relname as name, t.relname as table, x.indisunique as unique, pg_get_indexdef(x.indexrelid) as definition
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_class t on t.oid = x.indrelid
    where t.relnamespace = current_schema()::regnamespace and not t.relispartition`;

/** Constraints: type letter (c, f, p, u), definition, and for single-column FKs the column and target. */
export const catalogConstraints = async (sql: Sql): Promise<{ table: string; name: string; type: string; definition: string; column: string | null; references: string | null; on_delete: string }[]> =>
  sql`
    select t.relname as table, k.conname as name, k.contype as type, pg_get_constraintdef(k.oid) as definition,
           case when array_length(k.conkey, 1) = 1 then (select attname from pg_attribute where attrelid = k.conrelid and attnum = k.conkey[1]) end as column,
           r.relname as references,
           case k.confdeltype when 'c' then 'CASCADE' when 'n' then 'SET NULL' when 'r' then 'RESTRICT' else 'NO ACTION' end as on_delete
    from pg_constraint k
    join pg_class t on t.oid = k.conrelid
    left join pg_class r on r.oid = k.confrelid
    where t.relnamespace = current_schema()::regnamespace and not t.relispartition`;

/** Every object left in the schema, by kind: what a down migration must leave empty. */
export const schemaObjects = async (sql: Sql): Promise<string[]> =>
  (await sql<{ o: string }[]>`
    select 'relation ' || relname as o from pg_class where relnamespace = current_schema()::regnamespace
    union all select 'function ' || proname from pg_proc where pronamespace = current_schema()::regnamespace
    union all select 'type ' || typname from pg_type t where typnamespace = current_schema()::regnamespace
      and not exists (select 1 from pg_class c where c.oid = t.typrelid) and typelem = 0
    union all select 'policy ' || polname from pg_policy p join pg_class c on c.oid = p.polrelid where c.relnamespace = current_schema()::regnamespace
    union all select 'extension ' || extname from pg_extension where extnamespace = current_schema()::regnamespace
    order by 1`).map((r) => r.o);
