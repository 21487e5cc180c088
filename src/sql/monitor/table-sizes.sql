-- Largest tables, from the catalog only: relpages x block_size for the heap, its indexes, and
-- its TOAST table with the TOAST index. Reading pg_class never opens a relation or stats a
-- file, which pg_total_relation_size does for every one (seconds to minutes on 100,000+
-- relations). relpages is as fresh as the last VACUUM / ANALYZE / CREATE INDEX.
-- The ranking works on oids and page counts; names are looked up only for the rows shown.
-- Ties in size: the older table (lower oid) first.
-- Per table: its index pages (a count of its indexes in the index on pg_index.indrelid, plus
-- what the few indexes of other than one page differ by, grouped as they are read), its TOAST
-- pages (TOAST tables and their indexes live in pg_toast, named after the table they serve:
-- pg_toast_<table oid>[_index], which table rewrites keep; a table with TOAST counts the usual
-- empty TOAST table and one-page index, and only the pg_toast relations that differ are
-- grouped), and its heap. The tables and the relations that differ come from one scan of
-- pg_class (rel). Joining all of pg_index with pg_class and grouping per table instead cost
-- 1.2 s of the statement's 2.1 s at 10,000 schemas (1.77 million relations, 900,000 indexes).
-- $1 schemas (empty = all but system schemas and the warm pool's spares, which are no tenant's), $2 limit.
-- It ends in table-sizes-shown.sql ({{table.sizes.shown}}), the rows shown from `sized`, as table-sizes-lookup.sql does.
with rel as materialized (
  -- ONE scan of pg_class for every pass below: the tables (and matviews), and the few
  -- relations whose pages differ from what the passes assume: indexes of other than one page
  -- (their difference is added to the count of the table's indexes), and in pg_toast a TOAST
  -- table with pages or an index other than the usual empty one. A few thousand of the odd
  -- kind of 1.77 million relations at 10,000 schemas; a second scan for them cost 0.6 s there.
  select t.oid, t.relkind, t.relnamespace, t.relpages, t.reltuples, t.reltoastrelid,
         t.relkind not in ('r', 'm') as odd,
         case when t.relkind not in ('r', 'm') then t.relname end as relname  -- read for the odd ones only
  from pg_class t
  where t.relkind in ('r', 'm')
     or (t.relkind in ('i', 'I') and t.relpages <> 1)
     or (t.relnamespace = 'pg_toast'::regnamespace
         and ((t.relkind = 'i' and t.relname::text not like '%\_index') or (t.relkind <> 'i' and t.relpages <> 0)))
), odd as (
  select oid, relname, relkind, relnamespace, relpages from rel where odd
), idx_odd as (
  select x.indrelid as rel, sum(o.relpages - 1)::bigint as pages
  from odd o
  join pg_index x on x.indexrelid = o.oid
  where o.relkind in ('i', 'I') and o.relpages <> 1
  group by x.indrelid
), toast as (
  -- TOAST pages beyond the usual empty TOAST table with its one-page index (counted in
  -- sized below): a TOAST table with pages, a bigger index, an extra _ccnew/_ccold index.
  select split_part(o.relname::text, '_', 3)::oid as owner,
         sum(o.relpages - case when o.relkind = 'i' and o.relname::text like '%\_index' then 1 else 0 end)::bigint as pages
  from odd o
  where o.relnamespace = 'pg_toast'::regnamespace
  group by 1
), sized as materialized (
  select c.oid, c.relnamespace, c.relkind, c.reltuples,
         c.relpages::bigint            as heap_pages,
         -- Every index counted as one page: a count in pg_index's index on indrelid per table
         -- (index-only). Grouping all 1.17 million pg_index entries first and joining that
         -- (600,000 groups, sorted for the join in 52 MB) made the statement 1.69 s at 10,000
         -- schemas where this takes 1.38 s (280 against 245 ms at 1,000), in new sessions.
         (select count(*) from pg_index x where x.indrelid = c.oid) + coalesce(io.pages, 0) as index_pages,
         case when c.reltoastrelid <> 0 then 1 + coalesce(tx.pages, 0) else 0 end as toast_pages
  from rel c
  join pg_namespace n on n.oid = c.relnamespace
  left join idx_odd io on io.rel = c.oid
  left join toast tx on tx.owner = c.oid and c.reltoastrelid <> 0
  where not c.odd
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and (cardinality($1::text[]) = 0 and n.nspname !~ '^tenantctl_pool_[0-9]+$' or n.nspname = any($1::text[]))
), {{table.sizes.shown}}
