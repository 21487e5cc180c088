-- Tables holding at least $1 live rows that neither VACUUM nor ANALYZE has ever touched (by
-- hand or by autovacuum): the planner guesses their row counts, the visibility map is
-- empty (no index-only scans) and their oldest xids are never frozen. Autovacuum does both
-- within minutes of a load of this size, so a table here means autovacuum is off for it,
-- starved, or the statistics were reset. A table that was analyzed but not yet vacuumed
-- (a bulk load followed by ANALYZE) is normal and not listed.
select schemaname                                        as schema,
       relname                                           as table,
       n_live_tup                                        as rows
from pg_stat_user_tables
where n_live_tup >= $1
  and last_vacuum is null and last_autovacuum is null
  and last_analyze is null and last_autoanalyze is null
order by relname, schemaname
