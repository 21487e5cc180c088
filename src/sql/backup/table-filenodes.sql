-- The storage file number (pg_class.relfilenode) of every ordinary table in the schemas
-- $1 (text[]). A table rewritten by ALTER … TYPE, a column with a volatile default,
-- VACUUM FULL, CLUSTER or TRUNCATE gets a new relfilenode, and an exported snapshot does
-- not protect it: read in the snapshot's transaction this is the "before", read again
-- after a chunk was dumped it tells whether any of the chunk's tables was rewritten.
select n.nspname as schema, c.relname as table, c.relfilenode::text as relfilenode
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind = 'r'
  and n.nspname = any($1::text[])
order by n.nspname, c.relname
