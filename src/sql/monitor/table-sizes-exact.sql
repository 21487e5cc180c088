-- Exact table sizes from the files (pg_table_size & co.; on a Citus coordinator a distributed
-- table by its shards, with its TOAST in table_bytes and toast_bytes null, citus/sizes.ts):
-- opens and stats every relation,
-- so it is meant for a filtered set (--schema / --tenant). Relations that someone holds
-- or awaits an ACCESS EXCLUSIVE lock on are skipped (reported with null sizes): sizing
-- them would queue behind that lock. $1 schemas (empty = all but system schemas and the warm pool's spares, which are no tenant's), $2 limit.
with locked as (
  select distinct l.relation
  from pg_locks l
  where l.locktype = 'relation' and l.mode = 'AccessExclusiveLock'
    and l.database = (select oid from pg_database where datname = current_database())
), tbl as (
  select c.oid, n.nspname, c.relname, c.relkind, c.reltuples, c.reltoastrelid,
         {{sizes.distributed}} as distributed,
         (c.oid in (select relation from locked) or c.reltoastrelid in (select relation from locked)) as skipped
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'm')
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and (cardinality($1::text[]) = 0 and n.nspname !~ '^tenantctl_pool_[0-9]+$' or n.nspname = any($1::text[]))
), sized as (
  select t.*,
         case when skipped then null when distributed then {{sizes.total}}(t.oid) else pg_total_relation_size(t.oid) end as total_bytes,
         case when skipped then null when distributed then {{sizes.table}}(t.oid) end                                      as dist_table_bytes,
         case when not skipped and not distributed then pg_indexes_size(t.oid) end                                        as local_index_bytes,
         case when skipped or distributed then null when t.reltoastrelid <> 0 then pg_total_relation_size(t.reltoastrelid) else 0 end as toast_bytes
  from tbl t
)
select nspname                                                        as schema,
       relname                                                        as table,
       case relkind when 'm' then 'materialized view' else 'table' end as kind,
       case when reltuples < 0 then null else reltuples::bigint end   as rows,
       case when distributed then dist_table_bytes else total_bytes - local_index_bytes - toast_bytes end as table_bytes,
       case when distributed then total_bytes - dist_table_bytes else local_index_bytes end             as index_bytes,
       toast_bytes, total_bytes, skipped,
       count(*) over ()                                               as matched
from sized
order by skipped, total_bytes desc nulls last, schema, "table"
limit $2::int
