-- Where each distributed schema lives and how big it is: one row per schema with the
-- node holding its shards and the sum of its shard sizes (measured on the workers).
-- A distributed schema keeps all its shards on one node, so max() of host/port is exact.
select n.nspname               as schema_name,
       s.colocationid          as colocation_id,
       max(sh.nodename)        as host,
       max(sh.nodeport)        as port,
       coalesce(sum(sh.shard_size), 0)::bigint as bytes,
       count(distinct sh.table_name)::int      as tables
from pg_dist_schema s
join pg_namespace n on n.oid = s.schemaid
left join citus_shards sh on sh.colocation_id = s.colocationid
group by n.nspname, s.colocationid
order by n.nspname
