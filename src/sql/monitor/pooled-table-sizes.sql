-- Every table of a pooled schema with its row estimate and bytes, from the catalog (pages of
-- the table, its indexes, its TOAST table and index): no table is opened, so nothing waits
-- behind a migration's ACCESS EXCLUSIVE lock (pg_total_relation_size would). $1 schema
select c.relname as table,
       greatest(c.reltuples, 0)::float8 as rows,
       ((c.relpages
         + coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = c.oid), 0)
         + coalesce((select t.relpages + coalesce((select sum(ti.relpages) from pg_index tx join pg_class ti on ti.oid = tx.indexrelid where tx.indrelid = t.oid), 0)
                     from pg_class t where t.oid = c.reltoastrelid), 0))
        * current_setting('block_size')::bigint)::bigint as bytes
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1 and c.relkind in ('r', 'p')
