-- B-tree indexes of the given schemas ($1 text[]), for amcheck. Only valid, ready indexes
-- of permanent relations can be checked; partitioned indexes (relkind I) have no storage of
-- their own (their partitions' indexes are checked).
select i.indexrelid::int as oid, n.nspname as schema, c.relname as index
from pg_index i
join pg_class c on c.oid = i.indexrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_am am on am.oid = c.relam
where am.amname = 'btree'
  and c.relkind = 'i'
  and i.indisvalid and i.indisready
  and c.relpersistence <> 't'
  and n.nspname = any($1::text[])
order by n.nspname, c.relname
