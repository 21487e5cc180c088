-- Tables whose planner statistics are stale: never analyzed while holding rows, or changed
-- by more than $1 rows + $2 × their size since the last ANALYZE (autovacuum's own rule,
-- for the tables it has not caught up with). Partitioned parents are never analyzed by
-- autovacuum at all: they are listed when never analyzed or when one of their partitions is.
-- $1 min changed rows, $2 changed fraction
with stats as (
    select s.relid, s.schemaname as schema, s.relname as name, c.relkind as kind, c.reltuples,
           s.n_live_tup, s.n_mod_since_analyze,
           greatest(s.last_analyze, s.last_autoanalyze) as last_analyzed
    from pg_stat_user_tables s
    join pg_class c on c.oid = s.relid
    where s.schemaname not in ('pg_catalog', 'information_schema', 'tenantctl')
), stale as (
    select relid, schema, name, kind, n_mod_since_analyze,
           case when last_analyzed is null then 'never analyzed' else 'changed since last analyze' end as reason
    from stats
    where kind in ('r', 'm')
      and ((last_analyzed is null and (n_live_tup > 0 or n_mod_since_analyze > 0))
           or n_mod_since_analyze > $1::bigint + $2::float8 * greatest(reltuples, 0))
)
select schema, name, kind, n_mod_since_analyze::bigint as changed, reason, null::text as parent
from stale
union all
select p.schema, p.name, p.kind, 0::bigint, 'partitioned table: ' || case when p.last_analyzed is null then 'never analyzed' else 'a partition is stale' end, null
from stats p
where p.kind = 'p'
  and exists (select 1 from pg_partition_tree(p.relid) t join stale s on s.relid = t.relid)
   or (p.kind = 'p' and p.last_analyzed is null
       and exists (select 1 from pg_partition_tree(p.relid) t join stats s on s.relid = t.relid where s.n_live_tup > 0))
order by 1, 2
