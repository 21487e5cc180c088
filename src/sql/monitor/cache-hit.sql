-- Buffer cache hit counts: heap, index and TOAST blocks of user tables (pg_statio_*), and
-- the database as a whole (pg_stat_database). Counts since the statistics were last reset.
-- $1 schemas (empty = all).
with t as (
  select coalesce(sum(heap_blks_hit), 0)  as heap_hit,  coalesce(sum(heap_blks_read), 0)  as heap_read,
         coalesce(sum(idx_blks_hit), 0)   as idx_hit,   coalesce(sum(idx_blks_read), 0)   as idx_read,
         coalesce(sum(toast_blks_hit), 0) as toast_hit, coalesce(sum(toast_blks_read), 0) as toast_read
  from pg_statio_user_tables
  where cardinality($1::text[]) = 0 or schemaname = any($1::text[])
), d as (
  select blks_hit, blks_read, stats_reset from pg_stat_database where datname = current_database()
)
select 'heap' as kind, heap_hit::bigint as hits, heap_read::bigint as reads, null::timestamptz as stats_reset from t
union all select 'index', idx_hit::bigint, idx_read::bigint, null from t
union all select 'toast', toast_hit::bigint, toast_read::bigint, null from t
union all select 'database', blks_hit, blks_read, stats_reset from d
