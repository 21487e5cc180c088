-- Ordinary and partitioned tables of one (pooled) schema, with their size on disk and
-- the planner's row estimate (for per-tenant size shares). $1 schema
select c.relname                              as table_name,
       pg_total_relation_size(c.oid)::bigint  as bytes,
       greatest(c.reltuples, 0)::bigint       as estimated_rows
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1 and c.relkind in ('r', 'p') and not c.relispartition
order by c.relname
