-- Where each table of one pooled schema keeps its rows in a dump: an ordinary table in itself,
-- a partitioned table in its leaf partitions (pg_dump writes one TABLE DATA entry per leaf,
-- none for the parent), possibly in another schema. restore-tenant reads exactly these
-- entries from the archive.
-- $1 the pooled schema name
select r.relname                                as table_name,
       n.nspname                                as data_schema,
       c.relname                                as data_table
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
-- pg_partition_root() is NULL for a table outside any partition tree.
join pg_class r on r.oid = coalesce(pg_partition_root(c.oid), c.oid)
join pg_namespace rn on rn.oid = r.relnamespace
where rn.nspname = $1
  and c.relkind = 'r'
order by r.relname, n.nspname, c.relname
