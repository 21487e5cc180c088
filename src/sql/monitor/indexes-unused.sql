-- Indexes never scanned since the statistics were last reset. Unique and primary-key
-- indexes, and those backing an exclusion constraint, are left out: they enforce rules even
-- when no query reads them (a non-unique index can back no other kind of constraint).
-- Calls pg_stat_get_numscans() directly instead of reading pg_stat_user_indexes, which
-- computes three counters per index. The planner cannot estimate how many indexes are
-- unused (it guesses a handful; on 1,000 tenant schemas it is 40,000), so the candidates
-- are materialized by oid first and names are looked up only for the few shown.
-- $1 schemas (empty = all), $2 limit.
with cand as materialized (
  select x.indexrelid, x.indrelid
  from pg_index x
  where x.indisvalid
    and not x.indisunique
    and not x.indisprimary
    and pg_stat_get_numscans(x.indexrelid) = 0
    and not exists (select 1 from pg_constraint k where k.contype = 'x' and k.conindid = x.indexrelid)
), scoped as (
  select c.indexrelid, c.indrelid, i.relname, i.relpages, n.nspname
  from cand c
  join pg_class i on i.oid = c.indexrelid
  join pg_namespace n on n.oid = i.relnamespace
  where n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and (cardinality($1::text[]) = 0 or n.nspname = any($1::text[]))
), top as (
  select s.*, count(*) over () as matched
  from scoped s
  order by s.relpages desc, s.nspname, s.relname
  limit $2::int
)
select top.nspname                                               as schema,
       t.relname                                                 as table,
       top.relname                                               as index,
       0::bigint                                                 as scans,
       top.relpages::bigint * current_setting('block_size')::bigint as size_bytes,
       top.matched                                               as matched
from top
join pg_class t on t.oid = top.indrelid
order by size_bytes desc, schema, "table", index
