-- Bytes on disk of a tenant schema: tables with their indexes and TOAST. $1 schema name
-- Its tables through pg_depend's index (every table depends on its schema), not a scan of pg_class.
select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as bytes
from pg_namespace n
join pg_depend d on d.refclassid = 'pg_namespace'::regclass and d.refobjid = n.oid and d.classid = 'pg_class'::regclass
join pg_class c on c.oid = d.objid
where n.nspname = $1 and c.relkind in ('r', 'm')
