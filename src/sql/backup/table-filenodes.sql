-- The storage file number (pg_class.relfilenode) of every relation whose contents a dump
-- carries, in the schemas $1 (text[]): ordinary tables, partitions included (relkind 'r'),
-- and sequences ('S'). A table rewritten by ALTER … TYPE, a column with a volatile default,
-- VACUUM FULL, CLUSTER or TRUNCATE gets a new relfilenode (its TOAST table is rewritten with
-- it), and so does a sequence reset by ALTER SEQUENCE … RESTART or TRUNCATE … RESTART
-- IDENTITY; an exported snapshot protects none of them (pg_dump reads a sequence's current
-- value, not the snapshot's). Read in the snapshot's own transaction this is the "before";
-- read again after a chunk was dumped it tells whether any of the chunk's relations changed.
-- Left out on purpose: partitioned parents (no storage; their partitions are here), views,
-- and materialized views, whose rows a dump does not carry (pg_restore runs REFRESH from the
-- restored tables), so a REFRESH during the run cannot make the backup wrong.
select n.nspname as schema, c.relname as table, c.relfilenode::text as relfilenode
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'S')
  and n.nspname = any($1::text[])
order by n.nspname, c.relname
