-- Largest tables, from the catalog only: relpages x block_size for the heap, its TOAST
-- table and TOAST index, and its indexes. Reading pg_class never opens a relation or stats
-- a file, which pg_total_relation_size does for every one (seconds to minutes on 100,000+ relations).
-- relpages is as fresh as the last VACUUM / ANALYZE / CREATE INDEX.
-- $1 schemas (empty = all but system schemas), $2 limit.
with tbl as (
  select c.oid, n.nspname, c.relname, c.relkind, c.reltuples, c.relpages, c.reltoastrelid
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'm')
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and (cardinality($1::text[]) = 0 or n.nspname = any($1::text[]))
), idx as (
  -- Index pages of every table: one hash join and aggregate over pg_index is cheaper than
  -- filtering it through the chosen tables first (a nested loop over 100,000+ indexes);
  -- the left joins below keep only what they need.
  select x.indrelid, sum(i.relpages)::bigint as pages
  from pg_index x join pg_class i on i.oid = x.indexrelid
  group by x.indrelid
), sized as (
  select t.nspname, t.relname, t.relkind, t.reltuples,
         t.relpages::bigint                                            as heap_pages,
         coalesce(ti.pages, 0)                                         as index_pages,
         coalesce(toast.relpages, 0)::bigint + coalesce(tx.pages, 0)   as toast_pages
  from tbl t
  left join idx ti on ti.indrelid = t.oid
  left join pg_class toast on toast.oid = t.reltoastrelid
  left join idx tx on tx.indrelid = t.reltoastrelid
)
select nspname                                                        as schema,
       relname                                                        as table,
       case relkind when 'm' then 'materialized view' else 'table' end as kind,
       case when reltuples < 0 then null else reltuples::bigint end   as rows,
       heap_pages * b.bs                                              as table_bytes,
       index_pages * b.bs                                             as index_bytes,
       toast_pages * b.bs                                             as toast_bytes,
       (heap_pages + index_pages + toast_pages) * b.bs                as total_bytes,
       count(*) over ()                                               as matched
from sized, (select current_setting('block_size')::bigint as bs) b
order by total_bytes desc, schema, "table"
limit $2::int
