-- The tables (plain and partitioned parents, not partitions) of some schemas, with their
-- columns: what a down section's DROP / TRUNCATE / DROP COLUMN can really reach.
-- $1 schema names
select n.nspname as schema_name,
       c.relname as table_name,
       array(select a.attname::text from pg_catalog.pg_attribute a
             where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname = any($1::text[])
  and c.relkind in ('r', 'p')
  and not c.relispartition
order by 1, 2
