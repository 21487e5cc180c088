-- The ordinary and partitioned tables of one tenant schema (partitions are reached
-- through their parent, so they are left out). $1 schema name.
-- Through pg_depend's index (every table depends on its schema): pg_class has no index on
-- relnamespace, and scanning it costs seconds at thousands of tenant schemas.
select c.relname as table_name
from pg_namespace n
join pg_depend d on d.refclassid = 'pg_namespace'::regclass and d.refobjid = n.oid and d.classid = 'pg_class'::regclass
join pg_class c on c.oid = d.objid
where n.nspname = $1
  and c.relkind in ('r', 'p')
  and not c.relispartition
order by c.relname
