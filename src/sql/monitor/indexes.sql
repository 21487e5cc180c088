-- Every index finding in one pass over the catalog (on 1,000 tenant schemas that is over
-- 100,000 indexes; four separate reports would read pg_index and pg_class four times):
--   unused     never scanned since the statistics were reset; unique, primary-key and
--              exclusion indexes are left out (they enforce rules even when no query reads them);
--   duplicate  same table, access method, columns, operator classes, collations, expressions
--              and predicate as another (the one to drop is the non-unique one, else the newer);
--   redundant  a non-unique b-tree whose columns are a leading prefix of another b-tree's
--              (same predicate, no expressions): it serves no lookup the other cannot;
--   invalid    a CREATE INDEX CONCURRENTLY that failed or is still running;
--   summary    one row: how many of each matched, the index buffer-cache hits and reads, and
--              when this database's statistics were last reset.
-- The work is done on oids and numbers; names are looked up only for the rows shown.
-- Unused and duplicate/redundant keep the $2 largest each (ties: oldest index first).
-- $1 schemas (empty = all but system schemas), $2 limit per kind.
with idx as materialized (
  select x.indexrelid, x.indrelid, x.indisvalid, x.indisunique, x.indisprimary, x.indisexclusion,
         i.relam, i.relpages, x.indkey[0] as lead
  from pg_index x
  join pg_class i on i.oid = x.indexrelid and i.relkind in ('i', 'I')
  join pg_namespace n on n.oid = i.relnamespace
  where n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and (cardinality($1::text[]) = 0 or n.nspname = any($1::text[]))
), unused as (
  select indexrelid, relpages
  from idx
  where indisvalid and not indisunique and not indisprimary and not indisexclusion
    and pg_stat_get_numscans(indexrelid) = 0
), shared_lead as materialized (
  -- Only an index that shares its table, access method and first column with another can
  -- duplicate or be a prefix of it: usually a small fraction, so the definitions are read
  -- (by oid) and compared for those alone.
  select l.indexrelid, l.indrelid, l.indisunique, l.indisprimary, l.relam, l.relpages,
         x.indnatts, x.indnkeyatts, x.indkey::int2[] as keys, x.indclass as opclasses, x.indcollation as collations,
         -- Expressions and predicates compared as stored node trees minus the parse locations
         -- (where the text sat in the CREATE INDEX statement): pg_get_expr would decompile
         -- them at ~0.1 ms each.
         case when x.indexprs is null then '' else regexp_replace(x.indexprs::text, ' :location -?\d+', '', 'g') end as exprs,
         case when x.indpred is null then '' else regexp_replace(x.indpred::text, ' :location -?\d+', '', 'g') end  as pred
  from idx l
  join pg_index x on x.indexrelid = l.indexrelid
  where l.indisvalid
    and (l.indrelid, l.relam, l.lead) in (select indrelid, relam, lead from idx where indisvalid group by 1, 2, 3 having count(*) > 1)
), covered as (
  select distinct on (a.indexrelid)
         a.indexrelid, a.relpages, b.indexrelid as covering,
         case when a.keys = b.keys then 'duplicate' else 'redundant' end as kind
  from shared_lead a
  join shared_lead b on b.indrelid = a.indrelid and b.indexrelid <> a.indexrelid and b.relam = a.relam
                    and b.keys[0] = a.keys[0] and b.pred = a.pred and b.exprs = a.exprs
  where not a.indisprimary
    and (
      (a.keys = b.keys and a.opclasses = b.opclasses and a.collations = b.collations
         and a.indnkeyatts = b.indnkeyatts
         and (b.indisprimary
              or (b.indisunique and not a.indisunique)
              or (b.indisunique = a.indisunique and a.indexrelid > b.indexrelid)))
      or (not a.indisunique and a.exprs = '' and a.indnatts = a.indnkeyatts
          and a.relam = (select oid from pg_am where amname = 'btree')
          and cardinality(b.keys) > cardinality(a.keys)
          -- int2vector/oidvector count from 0; slices of both sides compare from 1.
          and b.keys[0:cardinality(a.keys) - 1] = a.keys[0:cardinality(a.keys) - 1]
          and (b.opclasses::oid[])[0:cardinality(a.keys) - 1] = (a.opclasses::oid[])[0:cardinality(a.keys) - 1])
    )
  order by a.indexrelid, (a.keys = b.keys) desc, b.indisunique desc, b.indexrelid
), found as materialized (
  (select 'unused' as kind, indexrelid, null::oid as covering from unused order by relpages desc, indexrelid limit $2::int)
  union all
  (select kind, indexrelid, covering from covered order by relpages desc, indexrelid limit $2::int)
  union all
  select 'invalid', indexrelid, null from idx where not indisvalid
), named as (
  -- Scalar lookups by oid: a handful of index probes, where a join would hash all of pg_class.
  select f.kind, f.indexrelid, f.covering, x.indrelid, x.indisready,
         (select relnamespace from pg_class where oid = x.indrelid) as nsp
  from found f
  join pg_index x on x.indexrelid = f.indexrelid
), stats as (
  -- Two statistics calls per index, not three: reads are fetched minus hits, summed or not.
  select hits::bigint, (fetched - hits)::bigint as reads
  from (select sum(pg_stat_get_blocks_hit(indexrelid)) as hits, sum(pg_stat_get_blocks_fetched(indexrelid)) as fetched from idx) s
)
select kind,
       (select nspname from pg_namespace where oid = nsp)       as schema,
       (select relname from pg_class where oid = indrelid)      as table,
       (select relname from pg_class where oid = indexrelid)    as index,
       (select relname from pg_class where oid = covering)      as covered_by,
       (select relpages from pg_class where oid = indexrelid)::bigint * current_setting('block_size')::bigint as size_bytes,
       pg_stat_get_numscans(indexrelid)                         as scans,
       not indisready                                           as not_ready,
       null::bigint as unused_matched, null::bigint as duplicate_matched,
       null::bigint as hits, null::bigint as reads, null::timestamptz as stats_reset
from named
union all
select 'summary', null, null, null, null, null, null, null,
       (select count(*) from unused),
       (select count(*) from covered),
       hits, reads,
       (select stats_reset from pg_stat_database where datname = current_database())
from stats
