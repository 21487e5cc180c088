-- Every single-column foreign key between ordinary tables of one (pooled) schema, with
-- whether the referencing column is NOT NULL: the graph a tenant's rows are found in
-- (a table with a foreign key to the registry is direct, whatever the column's name;
-- its children are indirect). $1 schema
select c.relname                                   as table_name,
       a.attname                                   as column_name,
       p.relname                                   as parent_table,
       pa.attname                                  as parent_column,
       a.attnotnull                                as not_null
from pg_constraint k
join pg_class c       on c.oid = k.conrelid
join pg_class p       on p.oid = k.confrelid
join pg_namespace n   on n.oid = c.relnamespace
join pg_attribute a   on a.attrelid = k.conrelid  and a.attnum = k.conkey[1]
join pg_attribute pa  on pa.attrelid = k.confrelid and pa.attnum = k.confkey[1]
where k.contype = 'f'
  and cardinality(k.conkey) = 1
  and n.nspname = $1
  and p.relnamespace = n.oid
order by c.relname, a.attname
