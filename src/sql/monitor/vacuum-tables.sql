-- Per table: dead tuples, when (auto)vacuum and (auto)analyze last ran, transaction-id age,
-- and whether autovacuum is due (dead tuples above threshold + scale_factor x reltuples,
-- per-table reloptions first, server settings otherwise).
-- The tables of pg_stat_user_tables (partitioned parents left out: no storage, relfrozenxid 0),
-- read from pg_class with only the statistic the sort needs: the view itself computes some 20
-- statistics per table and sums its indexes' scans through pg_index, which on 10,000 tenant
-- schemas (330,000 tables, 700,000 indexes) is seconds of work for 20 rows shown. Everything
-- else is computed for the rows shown only.
-- $1 schemas (empty = all but the warm pool's spares, which are no tenant's), $2 sort (dead|age|stale), $3 limit.
with nsp as (
  select oid, nspname from pg_namespace
  where nspname not in ('pg_catalog', 'information_schema') and nspname !~ '^pg_toast'
    and (cardinality($1::text[]) = 0 and nspname !~ '^tenantctl_pool_[0-9]+$' or nspname = any($1::text[]))
), t as materialized (
  select c.oid, n.nspname, c.relname,
         case $2 when 'age' then age(c.relfrozenxid)::float8
                 when 'stale' then -extract(epoch from coalesce(greatest(pg_stat_get_last_analyze_time(c.oid), pg_stat_get_last_autoanalyze_time(c.oid)), 'epoch'::timestamptz))
                 else pg_stat_get_dead_tuples(c.oid)::float8 end as sort_key
  from pg_class c
  join nsp n on n.oid = c.relnamespace
  where c.relkind in ('r', 't', 'm')
), top as (
  select oid, nspname, relname from t order by sort_key desc, nspname, relname limit $3::int
), shown as (
  select top.nspname, top.relname, c.reltuples,
         pg_stat_get_live_tuples(c.oid)                 as n_live_tup,
         pg_stat_get_dead_tuples(c.oid)                 as n_dead_tup,
         pg_stat_get_last_vacuum_time(c.oid)            as last_vacuum,
         pg_stat_get_last_autovacuum_time(c.oid)        as last_autovacuum,
         pg_stat_get_last_analyze_time(c.oid)           as last_analyze,
         pg_stat_get_last_autoanalyze_time(c.oid)       as last_autoanalyze,
         age(c.relfrozenxid)::bigint                    as xid_age,
         coalesce((select option_value::float8 from pg_options_to_table(c.reloptions) where option_name = 'autovacuum_vacuum_threshold'),
                  current_setting('autovacuum_vacuum_threshold')::float8)
         + coalesce((select option_value::float8 from pg_options_to_table(c.reloptions) where option_name = 'autovacuum_vacuum_scale_factor'),
                    current_setting('autovacuum_vacuum_scale_factor')::float8) * greatest(c.reltuples, 0) as vacuum_threshold
  from top
  join pg_class c on c.oid = top.oid
)
select nspname                                                    as schema,
       relname                                                    as table,
       n_live_tup                                                 as live_tuples,
       n_dead_tup                                                 as dead_tuples,
       round((100.0 * n_dead_tup / nullif(n_live_tup + n_dead_tup, 0))::numeric, 1)::float8 as dead_pct,
       greatest(last_vacuum, last_autovacuum)                     as last_vacuum,
       last_autovacuum,
       greatest(last_analyze, last_autoanalyze)                   as last_analyze,
       last_autoanalyze,
       xid_age,
       round((100.0 * xid_age / 2147483648)::numeric, 3)::float8  as wraparound_pct,
       n_dead_tup > vacuum_threshold                              as autovacuum_due,
       (select count(*) from t)                                   as matched
from shown
order by case $2 when 'age' then xid_age::float8
                 when 'stale' then -extract(epoch from coalesce(greatest(last_analyze, last_autoanalyze), 'epoch'::timestamptz))
                 else n_dead_tup::float8 end desc,
         schema, "table"
