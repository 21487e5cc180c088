-- The rows of table-sizes.sql for a few schemas named (--schema, --tenant), from the catalog
-- only, through its indexes: each table by pg_depend's index (every table depends on its
-- schema; pg_class has no index on relnamespace), its indexes by pg_index's index on indrelid,
-- its TOAST table by oid and that table's index(es) the same way. The cost is the schemas',
-- not the fleet's: table-sizes.sql passes over all of pg_class and pg_index (0.8 s for one
-- tenant at 10,000 schemas). The same figures: heap pages, the pages of every index, the TOAST
-- table's pages with its indexes'.
-- $1 schema names (not empty), $2 limit.
-- It ends in table-sizes-shown.sql ({{table.sizes.shown}}), the rows shown from `sized`, as table-sizes.sql does.
with nsp as materialized (
  -- system schemas are never sized, named or not, as in table-sizes.sql
  select n.oid from pg_namespace n
  where n.nspname = any($1::text[])
    and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname !~ '^pg_(toast|temp_)'
), rels as materialized (
  -- (`in`, not a join: a relation listed twice in pg_depend would not be sized twice)
  select c.oid, c.relnamespace, c.relkind, c.reltuples, c.relpages, c.reltoastrelid
  from pg_class c
  where c.relkind in ('r', 'm')
    and c.oid in (select d.objid
                  from nsp
                  join pg_depend d on d.refclassid = 'pg_catalog.pg_namespace'::regclass and d.refobjid = nsp.oid
                                  and d.classid = 'pg_catalog.pg_class'::regclass and d.objsubid = 0)
), sized as materialized (
  select r.oid, r.relnamespace, r.relkind, r.reltuples,
         r.relpages::bigint as heap_pages,
         coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = r.oid), 0)::bigint as index_pages,
         case when r.reltoastrelid <> 0
              then coalesce((select t.relpages from pg_class t where t.oid = r.reltoastrelid), 0)
                   + coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = r.reltoastrelid), 0)
              else 0 end::bigint as toast_pages
  from rels r
), {{table.sizes.shown}}
