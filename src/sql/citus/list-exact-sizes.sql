-- tenants/list-exact-sizes.sql on a Citus coordinator: a distributed table (every table of a
-- distributed tenant schema) keeps its rows in shards on the workers and only an empty shell
-- here, so it is sized with citus_total_relation_size (its shards, asked on their nodes: the
-- cost is the page's tables, not the fleet's); any other table as on one node.
-- $1 the schema names
select n.nspname as schema,
       coalesce(sum(case when exists (select 1 from pg_dist_partition p where p.logicalrelid = c.oid)
                         then citus_total_relation_size(c.oid)
                         else pg_total_relation_size(c.oid) end), 0)::bigint as bytes
from pg_namespace n
join pg_depend d on d.refclassid = 'pg_namespace'::regclass and d.refobjid = n.oid and d.classid = 'pg_class'::regclass
join pg_class c on c.oid = d.objid and c.relkind in ('r', 'm')
where n.nspname = any($1::text[])
group by n.nspname
