-- Exact bytes on disk of some tenant schemas (tables and matviews with their indexes and
-- TOAST), for `tenant list --exact-sizes`: opens every relation, so only ever for one page.
-- Tables through pg_depend's index (each depends on its schema), not a scan of pg_class.
-- $1 the schema names
select n.nspname as schema, coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as bytes
from pg_namespace n
join pg_depend d on d.refclassid = 'pg_namespace'::regclass and d.refobjid = n.oid and d.classid = 'pg_class'::regclass
join pg_class c on c.oid = d.objid and c.relkind in ('r', 'm')
where n.nspname = any($1::text[])
group by n.nspname
