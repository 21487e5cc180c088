-- Estimated b-tree index bloat, adapted from ioguix's pgsql-bloat-estimation btree_bloat.sql
-- (Copyright (c) 2015-2019, Jehan-Guillaume (ioguix) de Rorthais, BSD 2-clause): expected
-- leaf pages for reltuples entries of the average key width (pg_stats of the table, or of
-- the index for expressions), at the index fillfactor (default 90), against its pages.
-- $1 schemas (empty = all but system schemas and the warm pool's spares, which are no tenant's), $2 minimum index size in bytes, $3 limit.
with i as (
  select n.nspname, tbl.relname as tblname, idx.relname as idxname, idx.reltuples, idx.relpages,
         x.indrelid, x.indexrelid, x.indkey,
         coalesce(substring(array_to_string(idx.reloptions, ' ') from 'fillfactor=([0-9]+)')::int, 90) as fillfactor
  from pg_index x
  join pg_class idx on idx.oid = x.indexrelid
  join pg_class tbl on tbl.oid = x.indrelid
  join pg_namespace n on n.oid = idx.relnamespace
  where x.indisvalid and tbl.relkind = 'r' and idx.relpages > 0
    and idx.relam = (select oid from pg_am where amname = 'btree')
    -- the size filter on relpages itself, whose statistics the planner has: it then foresees how
    -- few relations pass (on pages x block_size it guessed a third of pg_class, and joined all of
    -- pg_attribute instead of looking up the few: 1.6 s -> 0.4 s for table-bloat at 10,000 schemas)
    and idx.relpages >= least(ceil($2::numeric / current_setting('block_size')::numeric), 2147483647)::int
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and (cardinality($1::text[]) = 0 and n.nspname !~ '^tenantctl_pool_[0-9]+$' or n.nspname = any($1::text[]))
), step1 as (
  select i.nspname, i.tblname, i.idxname, i.reltuples, i.relpages, i.fillfactor,
         current_setting('block_size')::numeric as bs,
         case when version() ~ 'mingw32|64-bit|x86_64|ppc64|ia64|amd64|aarch64|arm64' then 8 else 4 end as maxalign,
         24 as pagehdr,
         16 as pageopqdata,
         case when max(coalesce(s.null_frac, 0)) = 0 then 8 else 8 + ((32 + 8 - 1) / 8) end as index_tuple_hdr_bm,
         sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 1024)) as nulldatawidth,
         bool_or(a.atttypid = 'pg_catalog.name'::regtype) or count(*) <> count(s.attname) as stats_missing
  from i
  join pg_attribute a on a.attrelid = i.indexrelid and a.attnum > 0
  -- The table's column behind each index column, from indkey (0 for an expression, whose
  -- statistics are the index's own): pg_get_indexdef would take a lock on the index and wait
  -- behind any ACCESS EXCLUSIVE lock on its table, failing the whole report.
  left join pg_attribute ta on ta.attrelid = i.indrelid and ta.attnum = i.indkey[a.attnum - 1] and ta.attnum > 0
  left join pg_stats s on s.schemaname = i.nspname
        and ((s.tablename = i.tblname and s.attname = ta.attname)
             or (s.tablename = i.idxname and s.attname = a.attname))
  group by 1, 2, 3, 4, 5, 6
), step2 as (
  select *,
         (index_tuple_hdr_bm + maxalign
          - case when index_tuple_hdr_bm % maxalign = 0 then maxalign else index_tuple_hdr_bm % maxalign end
          + nulldatawidth + maxalign
          - case when nulldatawidth = 0 then 0
                 when nulldatawidth::int % maxalign = 0 then maxalign
                 else nulldatawidth::int % maxalign end
         )::numeric as nulldatahdrwidth
  from step1
), step3 as (
  select *,
         coalesce(1 + ceil(greatest(reltuples, 0) / floor((bs - pageopqdata - pagehdr) * fillfactor / (100 * (4 + nulldatahdrwidth)::float))), 0) as est_pages_ff
  from step2
)
select nspname                                                    as schema,
       tblname                                                    as table,
       idxname                                                    as index,
       (relpages * bs)::bigint                                    as size_bytes,
       greatest((relpages - est_pages_ff) * bs, 0)::bigint        as bloat_bytes,
       case when relpages > est_pages_ff
            then round((100 * (relpages - est_pages_ff) / relpages)::numeric, 1)::float8 else 0 end as bloat_pct,
       fillfactor,
       stats_missing
from step3
order by bloat_bytes desc, size_bytes desc, schema, "table", index
limit $3::int
