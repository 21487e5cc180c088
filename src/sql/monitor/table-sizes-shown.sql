-- {{table.sizes.shown}} of table-sizes.sql and table-sizes-lookup.sql: the end of either
-- statement, from its last CTE `sized` (one row per table: oid, relnamespace, relkind,
-- reltuples, heap_pages, index_pages, toast_pages) to the rows shown. The largest $2 are kept
-- (ties: the older table first), names are looked up for them only, and every table counted.
top as (
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
