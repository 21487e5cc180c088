-- The ordinary and partitioned tables of one tenant schema (partitions are reached
-- through their parent, so they are left out). $1 schema name.
select c.relname as table_name
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1
  and c.relkind in ('r', 'p')
  and not c.relispartition
order by c.relname
