-- Indexes never scanned since the statistics were last reset. Unique and primary-key
-- indexes, and those backing a constraint (exclusion), are left out: they enforce
-- rules even when no query reads them. Calls pg_stat_get_numscans() directly instead of
-- reading pg_stat_user_indexes, which computes three counters per index: with 100,000+
-- indexes that view alone takes a second. $1 schemas (empty = all), $2 limit.
select n.nspname                                           as schema,
       t.relname                                           as table,
       i.relname                                           as index,
       0::bigint                                           as scans,
       i.relpages::bigint * current_setting('block_size')::bigint as size_bytes,
       count(*) over ()                                    as matched
from pg_index x
join pg_class i on i.oid = x.indexrelid
join pg_class t on t.oid = x.indrelid
join pg_namespace n on n.oid = t.relnamespace
where x.indisvalid
  and not x.indisunique
  and not x.indisprimary
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_)'
  and (cardinality($1::text[]) = 0 or n.nspname = any($1::text[]))
  and pg_stat_get_numscans(x.indexrelid) = 0
  and not exists (select 1 from pg_constraint k where k.conindid = x.indexrelid)
order by size_bytes desc, schema, "table", index
limit $2::int
