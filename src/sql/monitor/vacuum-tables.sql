-- Per table: dead tuples, when (auto)vacuum and (auto)analyze last ran, transaction-id age,
-- and whether autovacuum is due (dead tuples above threshold + scale_factor x reltuples,
-- per-table reloptions first, server settings otherwise).
-- $1 schemas (empty = all), $2 sort (dead|age|stale), $3 limit.
with t as (
  select s.schemaname, s.relname, s.n_live_tup, s.n_dead_tup, s.last_vacuum, s.last_autovacuum,
         s.last_analyze, s.last_autoanalyze, s.autovacuum_count, c.reltuples,
         age(c.relfrozenxid)::bigint as xid_age,
         coalesce((select option_value::float8 from pg_options_to_table(c.reloptions) where option_name = 'autovacuum_vacuum_threshold'),
                  current_setting('autovacuum_vacuum_threshold')::float8)
         + coalesce((select option_value::float8 from pg_options_to_table(c.reloptions) where option_name = 'autovacuum_vacuum_scale_factor'),
                    current_setting('autovacuum_vacuum_scale_factor')::float8) * greatest(c.reltuples, 0) as vacuum_threshold
  from pg_stat_user_tables s
  join pg_class c on c.oid = s.relid
  where c.relkind <> 'p'  -- partitioned parents have no storage (and relfrozenxid 0)
    and (cardinality($1::text[]) = 0 or s.schemaname = any($1::text[]))
)
select schemaname                                                 as schema,
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
       count(*) over ()                                           as matched
from t
order by case $2 when 'age' then xid_age::float8
                 when 'stale' then -extract(epoch from coalesce(greatest(last_analyze, last_autoanalyze), 'epoch'::timestamptz))
                 else n_dead_tup::float8 end desc,
         schema, "table"
limit $3::int
