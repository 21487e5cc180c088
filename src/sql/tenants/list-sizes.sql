-- Estimated bytes of many tenant schemas in ONE pass over pg_class, from the statistics
-- (relpages x block_size as of the last VACUUM or ANALYZE): their tables, matviews and
-- indexes (an index lives in its table's schema), plus each table's TOAST table and TOAST
-- index. Never opens a relation. The same figure as tenants/page-sizes.sql, which looks a
-- few schemas up through pg_depend's index instead: pg_class has no index on relnamespace,
-- so for a large share of the fleet one sequential pass costs less than the lookups.
-- The pass groups as it reads, so what it keeps is small (it spilled to disk when it kept
-- every row): pages per schema; per table that has TOAST, its own pages; per TOAST table
-- and index (in pg_toast, both named after the table they serve: pg_toast_<oid>[_index],
-- which table rewrites keep), their pages under that table's oid. No pass over pg_index.
-- $1 the schema names
with nsp as materialized (
    select n.oid, n.nspname from pg_namespace n where n.nspname = any($1::text[])
), pass as materialized (
    select case when c.relnamespace = 'pg_toast'::regnamespace then split_part(c.relname::text, '_', 3)::oid end as toast_of,
           case when c.relnamespace <> 'pg_toast'::regnamespace then c.relnamespace end    as schema_oid,
           case when c.relkind in ('r', 'm') and c.reltoastrelid <> 0 then c.oid end       as toasted,
           sum(c.relpages)::bigint                                                         as pages
    from pg_class c
    where c.relkind in ('r', 'm', 'i', 't')
      and (c.relnamespace in (select oid from nsp) or c.relnamespace = 'pg_toast'::regnamespace)
    group by 1, 2, 3
), per_schema as (
    select schema_oid, sum(pages) as pages from pass where schema_oid is not null group by schema_oid
    union all
    select t.schema_oid, x.pages from pass x join pass t on t.toasted = x.toast_of
)
select n.nspname as schema, sum(p.pages)::bigint * current_setting('block_size')::bigint as bytes
from per_schema p
join nsp n on n.oid = p.schema_oid
group by n.nspname
