-- Per tenant schema, from the catalog only (relpages x block_size, reltuples): the bytes of
-- its tables and matviews with their indexes and TOAST, how many tables, estimated rows and
-- tables never analyzed. No largest table: that needs each table's own indexes, and so
-- pg_index, which doubles the work at 10,000 schemas (1.17 million indexes); sizes.ts asks
-- tenant-sizes-lookup.sql for the largest table of the schemas it shows.
-- Never a per-relation aggregate: an index lives in its table's schema, so a schema's pages
-- are one sum over its relations (pg_class has no index on relnamespace: one sequential
-- pass, grouped as it reads into one row per schema). TOAST tables and their indexes live
-- in pg_toast, named after the table they serve (pg_toast_<table oid>[_index], which table
-- rewrites keep): each table with TOAST is counted with the usual TOAST pages as it is read,
-- and only the pg_toast relations that differ are joined to their tables. No CTE is
-- materialized and the schemas are joined last: a materialized CTE would keep each pass over
-- pg_class from running in parallel workers.
-- $1 the schema names
with own as (
    select c.relnamespace                                                                        as schema_oid,
           sum(c.relpages)::bigint                                                               as pages,
           (count(*) filter (where c.relkind in ('r', 'm')))::int                                as tables,
           (sum(greatest(c.reltuples, 0)::float8) filter (where c.relkind in ('r', 'm')))::bigint as rows,
           (count(*) filter (where c.relkind in ('r', 'm') and c.reltuples < 0))::int            as never_analyzed,
           -- The usual TOAST of a table: an empty TOAST table (0 pages) and its one b-tree
           -- index pg_toast_<table oid>_index of 1 page (the metapage).
           (count(*) filter (where c.relkind in ('r', 'm') and c.reltoastrelid <> 0))::bigint    as toast_usual
    from pg_class c
    where c.relkind in ('r', 'm', 'i')
    group by c.relnamespace
), toast_departures as (
    -- The pg_toast relations that depart from that, each with its difference: a TOAST table
    -- with pages, a TOAST index of more (or fewer) pages, an extra index (a REINDEX
    -- CONCURRENTLY's _ccnew/_ccold). At 10,000 schemas that is 4 of 540,000 relations; only
    -- those are joined to their tables, where grouping all 540,000 by table cost more than
    -- the rest of the statement.
    select split_part(x.relname::text, '_', 3)::oid                                   as owner,
           x.relpages - case when x.relkind = 'i' and x.relname::text like '%\_index' then 1 else 0 end as pages
    from pg_class x
    where x.relnamespace = 'pg_toast'::regnamespace
      and ((x.relkind = 'i' and (x.relpages <> 1 or x.relname::text not like '%\_index'))
           or (x.relkind <> 'i' and x.relpages <> 0))
), toast_per_schema as (
    select o.relnamespace as schema_oid, sum(d.pages)::bigint as pages
    from toast_departures d
    join pg_class o on o.oid = d.owner
    where o.reltoastrelid <> 0 and o.relkind in ('r', 'm')
    group by o.relnamespace
)
select n.nspname                                                                  as schema,
       o.tables,
       (o.pages + o.toast_usual + coalesce(t.pages, 0)) * current_setting('block_size')::bigint as total_bytes,
       o.rows,
       o.never_analyzed
from pg_namespace n
join own o on o.schema_oid = n.oid
left join toast_per_schema t on t.schema_oid = n.oid
where n.nspname = any($1::text[])
