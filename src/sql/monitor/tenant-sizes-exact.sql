-- Exact per-tenant sizes from the files (pg_total_relation_size per table; on a Citus
-- coordinator a distributed table by its shards, citus/sizes.ts): for a few tenants
-- (--tenant), not the fleet. Tables under an ACCESS EXCLUSIVE lock are skipped and counted.
-- The row estimates are this node's reltuples. $1 the tenant schemas.
with locked as (
  select distinct l.relation
  from pg_locks l
  where l.locktype = 'relation' and l.mode = 'AccessExclusiveLock'
    and l.database = (select oid from pg_database where datname = current_database())
), tbl as (
  select c.oid, n.nspname, c.relname, c.reltuples, {{sizes.distributed}} as distributed,
         (c.oid in (select relation from locked) or c.reltoastrelid in (select relation from locked)) as skipped
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = any($1::text[]) and c.relkind in ('r', 'm')
), sized as (
  select t.*,
         case when skipped then null when distributed then {{sizes.total}}(t.oid) else pg_total_relation_size(t.oid) end as bytes
  from tbl t
)
select nspname                                                          as schema,
       count(*)::int                                                    as tables,
       coalesce(sum(bytes), 0)::bigint                                  as total_bytes,
       (array_agg(relname order by bytes desc nulls last, relname))[1]  as largest_table,
       max(bytes)::bigint                                               as largest_bytes,
       sum(greatest(reltuples, 0))::bigint                              as rows,
       (count(*) filter (where reltuples < 0))::int                     as never_analyzed,
       (count(*) filter (where skipped))::int                           as skipped
from sized
group by nspname
