-- tenants/schema-size.sql on a Citus coordinator: distributed tables sized by their shards on
-- the workers (citus_total_relation_size), not the coordinator's empty shells. $1 schema name
select coalesce(sum(case when exists (select 1 from pg_dist_partition p where p.logicalrelid = c.oid)
                         then citus_total_relation_size(c.oid)
                         else pg_total_relation_size(c.oid) end), 0)::bigint as bytes
from pg_namespace n
join pg_depend d on d.refclassid = 'pg_namespace'::regclass and d.refobjid = n.oid and d.classid = 'pg_class'::regclass
join pg_class c on c.oid = d.objid
where n.nspname = $1 and c.relkind in ('r', 'm')
