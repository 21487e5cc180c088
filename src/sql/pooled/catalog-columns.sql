-- Every column of the tables of one pooled schema: its type (the base name, for choosing
-- how to search it, and the formatted one, for people), nullability, whether it is
-- generated (generated columns are never written) and whether an index leads with it (the
-- post-scan looks such a column up by index instead of reading the table).
-- $1 the pooled schema name
select c.relname                                 as table_name,
       a.attname                                 as column_name,
       t.typname                                 as type_name,
       format_type(a.atttypid, a.atttypmod)      as type_display,
       t.typcategory                             as type_category,
       not a.attnotnull                          as nullable,
       a.attgenerated <> ''                      as generated,
       exists (select 1 from pg_index i where i.indrelid = c.oid and i.indkey[0] = a.attnum) as indexed
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_type t on t.oid = a.atttypid
where n.nspname = $1
  and c.relkind in ('r', 'p')
  and not c.relispartition
  and a.attnum > 0
  and not a.attisdropped
order by c.relname, a.attnum
