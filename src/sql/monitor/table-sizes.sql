-- Largest tables, from the catalog only: relpages x block_size for the heap, its indexes, and
-- its TOAST table with the TOAST index. Reading pg_class never opens a relation or stats a
-- file, which pg_total_relation_size does for every one (seconds to minutes on 100,000+
-- relations). relpages is as fresh as the last VACUUM / ANALYZE / CREATE INDEX.
-- The ranking works on oids and page counts; names are looked up only for the rows shown.
-- Ties in size: the older table (lower oid) first.
-- $1 schemas (empty = all but system schemas), $2 limit.
with per_rel as materialized (
  -- Every table, TOAST table and materialized view: its own pages and its indexes' pages,
  -- in one pass over pg_class with pg_index mapping each index to its table.
  select coalesce(x.indrelid, c.oid)                                                as rel,
         coalesce(sum(c.relpages) filter (where x.indrelid is null), 0)::bigint     as own_pages,
         coalesce(sum(c.relpages) filter (where x.indrelid is not null), 0)::bigint as index_pages
  from pg_class c
  left join pg_index x on x.indexrelid = c.oid
  where c.relkind in ('r', 'm', 't', 'i')
  group by 1
), sized as materialized (
  select c.oid, c.relnamespace, c.relkind, c.reltuples,
         p.own_pages                                 as heap_pages,
         p.index_pages,
         coalesce(t.own_pages + t.index_pages, 0)    as toast_pages
  from pg_class c
  join per_rel p on p.rel = c.oid
  left join per_rel t on t.rel = c.reltoastrelid
  where c.relkind in ('r', 'm')
    and c.relnamespace in (
      select n.oid from pg_namespace n
      where n.nspname not in ('pg_catalog', 'information_schema')
        and n.nspname !~ '^pg_(toast|temp_)'
        and (cardinality($1::text[]) = 0 or n.nspname = any($1::text[])))
), top as (
  select * from sized order by heap_pages + index_pages + toast_pages desc, oid limit $2::int
)
select (select nspname from pg_namespace where oid = top.relnamespace) as schema,
       (select relname from pg_class where oid = top.oid)              as table,
       case relkind when 'm' then 'materialized view' else 'table' end as kind,
       case when reltuples < 0 then null else reltuples::bigint end    as rows,
       heap_pages * b.bs                                               as table_bytes,
       index_pages * b.bs                                              as index_bytes,
       toast_pages * b.bs                                              as toast_bytes,
       (heap_pages + index_pages + toast_pages) * b.bs                 as total_bytes,
       (select count(*) from sized)                                    as matched
from top, (select current_setting('block_size')::bigint as bs) b
order by total_bytes desc, schema, "table"
