-- Bytes on disk of a tenant schema: tables with their indexes and TOAST. $1 schema name
select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as bytes
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1 and c.relkind in ('r', 'm')
