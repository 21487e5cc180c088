-- The rows of tenant-sizes.sql for a few tenant schemas (a --tenant list, or the page a
-- --limit shows): total of the tables with their indexes and TOAST, the largest table,
-- estimated rows, tables never analyzed; from the catalog only (relpages x block_size,
-- reltuples). Each schema's tables are found through pg_depend's index (every table depends
-- on its schema; pg_class has no index on relnamespace), each table's indexes through
-- pg_index's index on indrelid, its TOAST table by oid: the cost is the schemas', not the
-- fleet's (tenant-sizes.sql passes over the whole catalog, seconds at 10,000 schemas).
-- $1 the schema names
with nsp as materialized (
    select n.oid, n.nspname from pg_namespace n where n.nspname = any($1::text[])
), rels as materialized (
    select nsp.oid as schema_oid, c.oid, c.relname, c.relpages, c.reltuples, c.reltoastrelid
    from nsp
    join pg_depend d on d.refclassid = 'pg_namespace'::regclass and d.refobjid = nsp.oid and d.classid = 'pg_class'::regclass
    join pg_class c on c.oid = d.objid and c.relkind in ('r', 'm')
), sized as materialized (
    select r.schema_oid, r.relname, r.reltuples,
           r.relpages::bigint + coalesce(toast.relpages, 0)
           + coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = r.oid), 0)
           + coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = toast.oid), 0) as pages
    from rels r
    left join pg_class toast on toast.oid = r.reltoastrelid
), per_schema as (
    select schema_oid, count(*)::int as tables, sum(pages)::bigint as pages,
           sum(greatest(reltuples, 0)::float8)::bigint as rows, (count(*) filter (where reltuples < 0))::int as never_analyzed
    from sized
    group by schema_oid
), largest as (
    select distinct on (schema_oid) schema_oid, relname, pages
    from sized
    order by schema_oid, pages desc, relname
)
select n.nspname                                                        as schema,
       s.tables,
       s.pages * current_setting('block_size')::bigint                  as total_bytes,
       l.relname                                                        as largest_table,
       l.pages * current_setting('block_size')::bigint                  as largest_bytes,
       s.rows,
       s.never_analyzed
from per_schema s
join largest l on l.schema_oid = s.schema_oid
join nsp n on n.oid = s.schema_oid
