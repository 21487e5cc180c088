-- One row per tenant schema, from the catalog only (relpages x block_size, reltuples):
-- total of its tables with their indexes and TOAST, its largest table, estimated rows.
-- Never opens a relation. One pass over the schemas' relations: an index lives in its
-- table's schema, so only the pg_index lookup (index -> table) and the TOAST tables (in
-- pg_toast) need joins. $1 the tenant schemas.
with nsp as (
  select oid, nspname from pg_namespace where nspname = any($1::text[])
), rel as (
  select c.oid, c.relnamespace, c.relname, c.relkind, c.relpages, c.reltuples, c.reltoastrelid
  from pg_class c
  where c.relnamespace in (select oid from nsp) and c.relkind in ('r', 'm', 'i')
), toast as (
  -- TOAST table and its index, charged to the owning table.
  select r.oid as tbl,
         t.relpages::bigint + coalesce((select sum(ti.relpages) from pg_index xi join pg_class ti on ti.oid = xi.indexrelid
                                         where xi.indrelid = t.oid), 0)::bigint as pages
  from rel r join pg_class t on t.oid = r.reltoastrelid
  where r.relkind in ('r', 'm')
), per_table as (
  select coalesce(x.indrelid, r.oid) as tbl, sum(r.relpages)::bigint as pages
  from rel r left join pg_index x on r.relkind = 'i' and x.indexrelid = r.oid
  group by 1
), sized as (
  select r.relnamespace, r.relname, r.reltuples, p.pages + coalesce(t.pages, 0) as pages
  from rel r
  join per_table p on p.tbl = r.oid
  left join toast t on t.tbl = r.oid
  where r.relkind in ('r', 'm')
)
select n.nspname                                                        as schema,
       count(*)::int                                                    as tables,
       sum(pages)::bigint * b.bs                                        as total_bytes,
       (array_agg(relname order by pages desc, relname))[1]             as largest_table,
       max(pages)::bigint * b.bs                                        as largest_bytes,
       sum(greatest(reltuples, 0))::bigint                              as rows,
       (count(*) filter (where reltuples < 0))::int                     as never_analyzed
from sized
join nsp n on n.oid = sized.relnamespace
cross join (select current_setting('block_size')::bigint as bs) b
group by n.nspname, b.bs
