-- Tables holding at least $1 live rows that neither VACUUM nor ANALYZE has ever touched (by
-- hand or by autovacuum): the planner guesses their row counts, the visibility map is
-- empty (no index-only scans) and their oldest xids are never frozen. Autovacuum does both
-- within minutes of a load of this size, so a table here means autovacuum is off for it,
-- starved, or the statistics were reset. A table that was analyzed but not yet vacuumed
-- (a bulk load followed by ANALYZE) is normal and not listed.
-- The tables of pg_stat_user_tables, read without the view: it computes some 20 statistics
-- per table and sums each table's index scans through pg_index, and the planner calls the
-- (cheap-looking) statistics functions before the relkind test, on every one of pg_class's
-- rows (1.77 million at 10,000 tenant schemas, 7 million calls: seconds). Here the live-row
-- count is read once per table and the timestamps only for tables above $1 rows.
-- $1 minimum live rows
with tables as materialized (
  -- pg_stat_user_tables' relkinds; its TOAST tables all live in pg_toast, which it leaves out.
  select c.oid, c.relnamespace from pg_class c where c.relkind in ('r', 'm', 'p')
), big as materialized (
  select oid, relnamespace, pg_stat_get_live_tuples(oid) as live
  from tables
  where pg_stat_get_live_tuples(oid) >= $1
)
select n.nspname                                        as schema,
       c.relname                                        as table,
       b.live                                           as rows
from big b
join pg_namespace n on n.oid = b.relnamespace
join pg_class c on c.oid = b.oid
where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_toast'
  and n.nspname !~ '^tenantctl_pool_[0-9]+$' -- the warm pool's spares are no tenant's
  and pg_stat_get_last_vacuum_time(b.oid) is null and pg_stat_get_last_autovacuum_time(b.oid) is null
  and pg_stat_get_last_analyze_time(b.oid) is null and pg_stat_get_last_autoanalyze_time(b.oid) is null
order by c.relname, n.nspname
