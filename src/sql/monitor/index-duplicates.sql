-- Duplicate and redundant indexes, from the catalog alone:
--   duplicate  same table, access method, columns, operator classes, collations, sort orders
--              (DESC, NULLS FIRST), expressions and predicate as another (the one to drop is the non-unique one, else the newer);
--   redundant  a non-unique b-tree whose columns (with their sort orders) are a leading prefix
--              of another b-tree's (same predicate, no expressions): it serves no lookup the other cannot.
-- Only indexes that share their table and first column can be either, usually a small
-- fraction: those pairs are found first, from pg_index alone (1.17 million rows at 10,000
-- tenant schemas), in the order of the index on indrelid. The caller turns hash aggregation and
-- parallel workers off for this statement: grouping that many near-unique keys in a hash table
-- costs more than sorting each table's few, and workers would make the leader merge every row
-- again. The definitions are then read for the candidates only, and the schema and pages by
-- oid for the indexes found (from the index's own pg_class row: an index lives in its table's
-- schema, so both indexes of a pair are in or out of scope together).
-- {{scope.index.rows}} is pg_index itself, or for a few schemas named, their tables' indexes
-- found through the catalog's indexes (scope-index-rows.sql).
-- The largest $2 are kept (ties: oldest index first), with the count of all.
-- $1 schemas (empty = all but system schemas and the warm pool's spares, which are no tenant's), $2 limit.
with scope as (
  select n.oid from pg_namespace n
  where n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and (cardinality($1::text[]) = 0 and n.nspname !~ '^tenantctl_pool_[0-9]+$' or n.nspname = any($1::text[]))
), pairs as (
  -- Read in the order of pg_index's index on indrelid, so that grouping by (table, first column)
  -- sorts each table's few indexes alone (an incremental sort: 26 kB at 10,000 tenant schemas)
  -- rather than all 1.17 million keys at once (a 49 MB sort, 13% slower there in a new session,
  -- where every page of that memory is a first touch), and the lookups of shared_lead below
  -- find the index's pages already read.
  select x.indrelid, x.indkey[0] as lead
  from {{scope.index.rows}} x
  where x.indisvalid
  group by x.indrelid, x.indkey[0]
  having count(*) > 1
), shared_lead as materialized (
  -- No pg_class lookup per candidate: an operator class belongs to one access method, so
  -- "same access method" is "same first operator class" (which both kinds need anyway).
  -- Pages and schema are read for the covered indexes only.
  select x.indexrelid, x.indrelid, x.indisunique, x.indisprimary, x.indclass[0] as opc,
         x.indnatts, x.indnkeyatts, x.indkey::int2[] as keys, x.indclass as opclasses, x.indcollation as collations,
         -- DESC and NULLS FIRST per column: (x, y DESC) serves ORDER BY x, y DESC; (x, y) does not.
         x.indoption::int2[] as options,
         -- Expressions and predicates compared as stored node trees minus the parse locations
         -- (where the text sat in the CREATE INDEX statement): pg_get_expr would decompile
         -- them at ~0.1 ms each.
         case when x.indexprs is null then '' else regexp_replace(x.indexprs::text, ' :location -?\d+', '', 'g') end as exprs,
         case when x.indpred is null then '' else regexp_replace(x.indpred::text, ' :location -?\d+', '', 'g') end  as pred
  from pairs p
  -- By the index on indrelid, per pair (offset 0 keeps the planner from hashing all of pg_index).
  join lateral (select * from pg_index y where y.indrelid = p.indrelid and y.indisvalid and y.indkey[0] = p.lead offset 0) x on true
), covered as (
  select distinct on (a.indexrelid)
         a.indexrelid, a.indrelid, b.indexrelid as covering,
         case when a.keys = b.keys then 'duplicate' else 'redundant' end as kind
  from shared_lead a
  join shared_lead b on b.indrelid = a.indrelid and b.indexrelid <> a.indexrelid and b.opc = a.opc
                    and b.keys[0] = a.keys[0] and b.pred = a.pred and b.exprs = a.exprs
  where not a.indisprimary
    and (
      (a.keys = b.keys and a.opclasses = b.opclasses and a.collations = b.collations and a.options = b.options
         and a.indnkeyatts = b.indnkeyatts
         and (b.indisprimary
              or (b.indisunique and not a.indisunique)
              or (b.indisunique = a.indisunique and a.indexrelid > b.indexrelid)))
      or (not a.indisunique and a.exprs = '' and a.indnatts = a.indnkeyatts
          and a.opc = any ((select array_agg(oid) from pg_opclass where opcmethod = (select oid from pg_am where amname = 'btree'))::oid[])
          and cardinality(b.keys) > cardinality(a.keys)
          -- int2vector/oidvector count from 0; slices of both sides compare from 1.
          and b.keys[0:cardinality(a.keys) - 1] = a.keys[0:cardinality(a.keys) - 1]
          and (b.opclasses::oid[])[0:cardinality(a.keys) - 1] = (a.opclasses::oid[])[0:cardinality(a.keys) - 1]
          and b.options[0:cardinality(a.keys) - 1] = a.options[0:cardinality(a.keys) - 1])
    )
  order by a.indexrelid, (a.keys = b.keys) desc, b.indisunique desc, b.indexrelid
), in_scope as materialized (
  -- One pg_class row per covered index: an index lives in its table's schema, so its own
  -- row gives the schema as well as the pages.
  select c.*, i.relpages, i.relnamespace as nsp
  from covered c
  join lateral (select relpages, relnamespace from pg_class where oid = c.indexrelid offset 0) i on true
  where i.relnamespace in (select oid from scope)
), top as (
  select * from in_scope order by relpages desc, indexrelid limit $2::int
)
select kind,
       (select nspname from pg_namespace where oid = nsp)       as schema,
       (select relname from pg_class where oid = indrelid)      as table,
       (select relname from pg_class where oid = indexrelid)    as index,
       (select relname from pg_class where oid = covering)      as covered_by,
       relpages::bigint * current_setting('block_size')::bigint as size_bytes,
       (select count(*) from in_scope)                          as matched
from top
