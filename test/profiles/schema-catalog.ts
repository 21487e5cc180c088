import type { Sql } from '../../src/db/connect.js';

/** What the current schema holds, read from the catalog, in the shapes a seed comparison needs. */
export interface Catalog {
  /** table → columns in attnum order. */
  tables: Map<string, { column: string; type: string; not_null: boolean; default: string | null }[]>;
  /** enum → labels in sort order. */
  enums: Map<string, string[]>;
  constraints: {
    name: string;
    table: string;
    /** p primary key, u unique, f foreign key, c check. */
    type: string;
    columns: string[];
    ref_table: string | null;
    ref_columns: string[] | null;
    /** confdeltype / confupdtype: a no action, r restrict, c cascade, n set null, d set default. */
    on_delete: string;
    on_update: string;
  }[];
  indexes: { name: string; table: string; columns: string[]; predicate: string | null; backs_constraint: boolean }[];
  views: { name: string; options: string[] | null }[];
  /** `table.trigger`, internal (FK) triggers left out, sorted. */
  triggers: string[];
}

/** Read the catalog of `current_schema()`. */
export async function catalogOf(sql: Sql): Promise<Catalog> {
  const [columns, enums, constraints, indexes, views, triggers] = await Promise.all([
    sql<{ table: string; column: string; type: string; not_null: boolean; default: string | null }[]>`
      select c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type,
             a.attnotnull as not_null, pg_get_expr(d.adbin, d.adrelid) as default
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
      order by c.relname, a.attnum`,
    sql<{ name: string; labels: string[] }[]>`
      select t.typname as name, array_agg(e.enumlabel order by e.enumsortorder)::text[] as labels
      from pg_type t join pg_enum e on e.enumtypid = t.oid
      where t.typnamespace = current_schema()::regnamespace
      group by t.typname`,
    sql<Catalog['constraints']>`
      select con.conname as name, c.relname as table, con.contype::text as type,
             array(select a.attname from unnest(con.conkey) with ordinality k(n, o)
                   join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by k.o)::text[] as columns,
             f.relname as ref_table,
             case when con.contype = 'f' then
               array(select a.attname from unnest(con.confkey) with ordinality k(n, o)
                     join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.o)::text[] end as ref_columns,
             con.confdeltype::text as on_delete, con.confupdtype::text as on_update
      from pg_constraint con
      join pg_class c on c.oid = con.conrelid
      left join pg_class f on f.oid = con.confrelid
      where con.connamespace = current_schema()::regnamespace`,
    sql<Catalog['indexes']>`
      select i.relname as name, t.relname as table,
             array(select a.attname from unnest(x.indkey::int2[]) with ordinality k(n, o)
                   join pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.n order by k.o)::text[] as columns,
             pg_get_expr(x.indpred, x.indrelid) as predicate,
             exists (select 1 from pg_constraint con where con.conindid = x.indexrelid) as backs_constraint
      from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
      where t.relnamespace = current_schema()::regnamespace`,
    sql<Catalog['views']>`
      select relname as name, reloptions::text[] as options from pg_class
      where relnamespace = current_schema()::regnamespace and relkind = 'v'`,
    sql<{ name: string }[]>`
      select c.relname || '.' || tg.tgname as name from pg_trigger tg join pg_class c on c.oid = tg.tgrelid
      where c.relnamespace = current_schema()::regnamespace and not tg.tgisinternal order by 1`,
  ]);
  const tables = new Map<string, Catalog['tables'] extends Map<string, infer V> ? V : never>();
  for (const { table, ...column } of columns) tables.set(table, [...(tables.get(table) ?? []), column]);
  return {
    tables,
    enums: new Map(enums.map((e) => [e.name, e.labels])),
    constraints: [...constraints],
    indexes: [...indexes],
    views: [...views],
    triggers: triggers.map((t) => t.name),
  };
}
