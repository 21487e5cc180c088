-- Estimated table bloat, adapted from ioguix's pgsql-bloat-estimation table_bloat.sql
-- (Copyright (c) 2015-2019, Jehan-Guillaume (ioguix) de Rorthais, BSD 2-clause): the
-- expected pages for reltuples rows of the average width pg_stats reports, at the table's
-- fillfactor, against the pages the table has. An estimate: columns without statistics
-- (never analyzed, or the "name" type) make it unreliable, flagged as stats_missing.
-- $1 schemas (empty = all but system schemas and the warm pool's spares, which are no tenant's), $2 minimum table size in bytes, $3 limit.
with step1 as (
  select tbl.oid,
         ns.nspname, tbl.relname, tbl.reltuples, tbl.relpages as heappages,
         coalesce(toast.relpages, 0) as toastpages,
         coalesce(toast.reltuples, 0) as toasttuples,
         coalesce(substring(array_to_string(tbl.reloptions, ' ') from 'fillfactor=([0-9]+)')::int, 100) as fillfactor,
         current_setting('block_size')::numeric as bs,
         case when version() ~ 'mingw32|64-bit|x86_64|ppc64|ia64|amd64|aarch64|arm64' then 8 else 4 end as ma,
         24 as page_hdr,
         23 + case when max(coalesce(s.null_frac, 0)) > 0 then (7 + count(*)) / 8 else 0 end as tpl_hdr_size,
         sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 1024)) as tpl_data_size,
         bool_or(att.atttypid = 'pg_catalog.name'::regtype) or count(att.attname) <> count(s.attname) as stats_missing
  from pg_class tbl
  join pg_namespace ns on ns.oid = tbl.relnamespace
  join pg_attribute att on att.attrelid = tbl.oid and att.attnum > 0 and not att.attisdropped
  left join pg_stats s on s.schemaname = ns.nspname and s.tablename = tbl.relname and not s.inherited and s.attname = att.attname
  left join pg_class toast on toast.oid = tbl.reltoastrelid
  where tbl.relkind = 'r'
    -- the size filter on relpages itself, whose statistics the planner has: it then foresees how
    -- few relations pass (on pages x block_size it guessed a third of pg_class, and joined all of
    -- pg_attribute instead of looking up the few: 1.6 s -> 0.4 s for table-bloat at 10,000 schemas)
    and tbl.relpages >= least(ceil($2::numeric / current_setting('block_size')::numeric), 2147483647)::int
    and tbl.relpages > 0
    and ns.nspname not in ('pg_catalog', 'information_schema')
    and ns.nspname !~ '^pg_(toast|temp_)'
    and (cardinality($1::text[]) = 0 and ns.nspname !~ '^tenantctl_pool_[0-9]+$' or ns.nspname = any($1::text[]))
  group by tbl.oid, ns.nspname, tbl.relname, tbl.reltuples, tbl.relpages, toast.relpages, toast.reltuples, tbl.reloptions
), step2 as (
  select *,
         (4 + tpl_hdr_size + tpl_data_size + (2 * ma)
          - case when tpl_hdr_size % ma = 0 then ma else tpl_hdr_size % ma end
          - case when ceil(tpl_data_size)::int % ma = 0 then ma else ceil(tpl_data_size)::int % ma end
         ) as tpl_size,
         (heappages + toastpages) as tblpages
  from step1
), step3 as (
  select *,
         ceil(greatest(reltuples, 0) / ((bs - page_hdr) * fillfactor / (tpl_size * 100))) + ceil(toasttuples / 4) as est_pages_ff
  from step2
)
select nspname                                                      as schema,
       relname                                                      as table,
       null::text                                                   as index,
       (tblpages * bs)::bigint                                      as size_bytes,
       greatest((tblpages - est_pages_ff) * bs, 0)::bigint          as bloat_bytes,
       case when tblpages > 0 and tblpages > est_pages_ff
            then round((100 * (tblpages - est_pages_ff) / tblpages)::numeric, 1)::float8 else 0 end as bloat_pct,
       fillfactor,
       stats_missing
from step3
order by bloat_bytes desc, size_bytes desc, schema, "table"
limit $3::int
