-- Per tenant schema, from the catalog only (relpages x block_size, reltuples): the bytes of
-- its tables and matviews with their indexes and TOAST, how many tables, estimated rows and
-- tables never analyzed. No largest table: that needs each table's own indexes, and so
-- pg_index, which doubles the work at 10,000 schemas (1.17 million indexes); sizes.ts asks
-- tenant-sizes-lookup.sql for the largest table of the schemas it shows.
-- Never a per-relation aggregate: an index lives in its table's schema, so a schema's pages
-- are one sum over its relations (pg_class has no index on relnamespace: one sequential
-- pass, grouped as it reads into one row per schema). TOAST tables and their indexes live
-- in pg_toast, named after the table they serve (pg_toast_<table oid>[_index], which table
-- rewrites keep): their pages are summed per table oid and joined to the tables that have
-- TOAST. No CTE is materialized and the schemas are joined last: a materialized CTE would
-- keep each pass over pg_class from running in parallel workers.
-- $1 the schema names
with own as (
    select c.relnamespace                                                                        as schema_oid,
           sum(c.relpages)::bigint                                                               as pages,
           (count(*) filter (where c.relkind in ('r', 'm')))::int                                as tables,
           (sum(greatest(c.reltuples, 0)::float8) filter (where c.relkind in ('r', 'm')))::bigint as rows,
           (count(*) filter (where c.relkind in ('r', 'm') and c.reltuples < 0))::int            as never_analyzed
    from pg_class c
    where c.relkind in ('r', 'm', 'i')
    group by c.relnamespace
), toast as (
    select split_part(x.relname::text, '_', 3)::oid as owner, sum(x.relpages)::bigint as pages
    from pg_class x
    where x.relnamespace = 'pg_toast'::regnamespace
    group by 1
), toast_per_schema as (
    select t.relnamespace as schema_oid, sum(x.pages)::bigint as pages
    from pg_class t
    join toast x on x.owner = t.oid
    where t.reltoastrelid <> 0 and t.relkind in ('r', 'm')
    group by t.relnamespace
)
select n.nspname                                                                  as schema,
       o.tables,
       (o.pages + coalesce(t.pages, 0)) * current_setting('block_size')::bigint    as total_bytes,
       o.rows,
       o.never_analyzed
from pg_namespace n
join own o on o.schema_oid = n.oid
left join toast_per_schema t on t.schema_oid = n.oid
where n.nspname = any($1::text[])
