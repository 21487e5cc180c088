-- The storage file number (pg_class.relfilenode) and the columns of every relation whose contents a dump
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
-- `columns` is the row type a table's rows have (name and type of each live column, in
-- order). ADD or DROP COLUMN (or a type change that needs no rewrite) keeps the relfilenode,
-- but pg_dump writes the columns its snapshot saw, while the checksums' row text (t::text)
-- takes the row type current when they read the table: the two would describe different
-- rows, and the backup would fail its own verify. So a changed `columns` fails it too.
select n.nspname as schema, c.relname as table, c.relfilenode::text as relfilenode,
       coalesce((select string_agg(format('%I %s', a.attname, format_type(a.atttypid, a.atttypmod)), ', ' order by a.attnum)
                 from pg_attribute a
                 where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped), '') as columns
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'S')
  and n.nspname = any($1::text[])
order by n.nspname, c.relname
