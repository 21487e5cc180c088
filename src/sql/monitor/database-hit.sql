-- This database's buffer cache hits and reads since the statistics were last reset.
select blks_hit::bigint as hits, blks_read::bigint as reads from pg_stat_database where datname = current_database()
