-- One row per tenant schema, from the catalog only (relpages x block_size, reltuples):
-- total of its tables with their indexes and TOAST, its largest table, estimated rows.
-- Never opens a relation. Index pages are charged to their table in one pass over pg_class
-- (pg_index maps index -> table), TOAST pages through the table's reltoastrelid: hash joins
-- over the catalog, where a lookup per TOAST table costs ~8 us x 30,000 on 1,000 tenants.
-- $1 the tenant schemas.
with nsp as (
  select oid, nspname from pg_namespace where nspname = any($1::text[])
), per_rel as materialized (
  -- Every table, TOAST table and materialized view: its own pages plus its indexes' pages.
  select coalesce(x.indrelid, c.oid) as rel, sum(c.relpages)::bigint as pages
  from pg_class c
  left join pg_index x on x.indexrelid = c.oid
  where c.relkind in ('r', 'm', 't', 'i')
  group by 1
), sized as materialized (
  select c.relnamespace, c.relname, c.reltuples, p.pages + coalesce(t.pages, 0) as pages
  from pg_class c
  join per_rel p on p.rel = c.oid
  left join per_rel t on t.rel = c.reltoastrelid
  where c.relkind in ('r', 'm') and c.relnamespace in (select oid from nsp)
), per_schema as (
  select relnamespace, count(*)::int as tables, sum(pages)::bigint as pages,
         sum(greatest(reltuples, 0)::float8)::bigint as rows, (count(*) filter (where reltuples < 0))::int as never_analyzed
  from sized
  group by relnamespace
), largest as (
  select distinct on (relnamespace) relnamespace, relname, pages
  from sized
  order by relnamespace, pages desc, relname
)
select n.nspname                                                        as schema,
       s.tables,
       s.pages * b.bs                                                   as total_bytes,
       l.relname                                                        as largest_table,
       l.pages::bigint * b.bs                                           as largest_bytes,
       s.rows,
       s.never_analyzed
from per_schema s
join largest l on l.relnamespace = s.relnamespace
join nsp n on n.oid = s.relnamespace
cross join (select current_setting('block_size')::bigint as bs) b
