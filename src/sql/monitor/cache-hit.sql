-- Buffer cache hit counts: heap, index and TOAST blocks of user tables, and the database as a
-- whole (pg_stat_database). Counts since the statistics were last reset.
-- One pass over pg_class calling the pg_stat_get_blocks_*() functions the pg_statio_* views
-- are built on: the views compute every counter of every table (and sum each table's indexes
-- in a subquery), which on 100,000+ relations is several times slower. cache.ts runs it on a
-- snapshot of the statistics (stats-snapshot.sql); on a server or session without one, the two
-- counters are read one after the other and may be a flush apart: a read never counts below 0.
-- $1 schemas (empty = all but system schemas and the warm pool's spares, which are no tenant's).
with rel as (
  select c.oid, c.relkind, c.reltoastrelid
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'm', 'i')
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and (cardinality($1::text[]) = 0 and n.nspname !~ '^tenantctl_pool_[0-9]+$' or n.nspname = any($1::text[]))
), t as (
  select coalesce(sum(pg_stat_get_blocks_hit(oid)) filter (where relkind <> 'i'), 0)                                         as heap_hit,
         coalesce(sum(greatest(pg_stat_get_blocks_fetched(oid) - pg_stat_get_blocks_hit(oid), 0)) filter (where relkind <> 'i'), 0)        as heap_read,
         coalesce(sum(pg_stat_get_blocks_hit(oid)) filter (where relkind = 'i'), 0)                                          as idx_hit,
         coalesce(sum(greatest(pg_stat_get_blocks_fetched(oid) - pg_stat_get_blocks_hit(oid), 0)) filter (where relkind = 'i'), 0)         as idx_read,
         coalesce(sum(pg_stat_get_blocks_hit(reltoastrelid)) filter (where reltoastrelid <> 0), 0)                           as toast_hit,
         coalesce(sum(greatest(pg_stat_get_blocks_fetched(reltoastrelid) - pg_stat_get_blocks_hit(reltoastrelid), 0)) filter (where reltoastrelid <> 0), 0) as toast_read
  from rel
), d as (
  select blks_hit, blks_read, stats_reset from pg_stat_database where datname = current_database()
)
select 'heap' as kind, heap_hit::bigint as hits, heap_read::bigint as reads, null::timestamptz as stats_reset from t
union all select 'index', idx_hit::bigint, idx_read::bigint, null from t
union all select 'toast', toast_hit::bigint, toast_read::bigint, null from t
union all select 'database', blks_hit, blks_read, stats_reset from d
