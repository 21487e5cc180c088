-- The index findings that need the statistics, in one pass over the catalog's indexes:
--   unused     never scanned since the statistics were reset; unique, primary-key and
--              exclusion indexes are left out (they enforce rules even when no query reads them);
--   invalid    a CREATE INDEX CONCURRENTLY that failed or is still running;
--   summary    one row: how many unused matched, the index buffer-cache hits and reads, and
--              when this database's statistics were last reset.
-- Duplicate and redundant indexes come from index-duplicates.sql (no statistics needed).
-- At 10,000 tenant schemas (900,000 indexes) the cost is per index, so each does as little as
-- possible:
--   - pg_class (relkind, schema, pages) is joined with the few pg_index rows that can be a
--     finding (not unique, or not valid): a hash of 410,000 oids, not of all 1.17 million
--     pg_index rows, and no pg_namespace join per index (the schemas in scope are a hash of
--     oids). This part runs in parallel workers.
--   - The statistics functions may run only in the leader (they are parallel restricted), so
--     each index costs it as few shared-memory lookups as possible. {{has.stats}} says whether
--     the index has a statistics entry at all: pg_stat_have_stats, one lookup (PostgreSQL 15+,
--     superusers unless granted; `true` where the session may not call it, see
--     src/monitor/indexes.ts). Most indexes of a big fleet have none (72,000 of 900,000 have
--     one on the idle bench fleet), and a getter such as pg_stat_get_blocks_fetched costs two
--     lookups for those, as it tries the shared catalogs' entries after this database's. At
--     10,000 tenant schemas this statement went from 1.07-1.37 s to 0.97-1.03 s, the whole
--     report from 1.67-2.06 s to 1.55-1.71 s (BENCHMARKS.md). Only indexes with an entry are
--     read: the blocks fetched, the hits where something was fetched (hits <= fetched; read
--     after it, a hit counted in between is capped), and the scan count where the index can
--     be unused (an index with no entry was never scanned).
--   - The largest unused are kept by one sort of plain int8 keys (pages, then the older
--     index: pages * 2^32 + (2^32 - 1 - oid)); a sort of (pages, oid) rows costs twice that,
--     and LIMIT cannot be combined with the count of all.
--   - {{scope.index.classes}} is pg_class itself, or for a few schemas named, their indexes'
--     rows found through the catalog's indexes (scope-index-classes.sql): a report on one
--     tenant costs that tenant's indexes, not the fleet's.
-- Names are looked up by oid for the rows shown only.
-- $1 schemas (empty = all but system schemas and the warm pool's spares, which are no tenant's), $2 limit of unused.
with scope as (
  select n.oid from pg_namespace n
  where n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and (cardinality($1::text[]) = 0 and n.nspname !~ '^tenantctl_pool_[0-9]+$' or n.nspname = any($1::text[]))
), totals as (
  -- per_index and judged are subqueries of this one, not CTEs of their own: pg_stat_have_stats
  -- is volatile, and a CTE holding it is never folded into the query that reads it but
  -- materialized, 900,000 rows at 10,000 tenant schemas written to a tuplestore and read back
  -- (0.3-0.5 s of the statement's 2.5-3 s there); as subqueries the rows stream from the
  -- catalog scan into the aggregates.
  select count(unused_key)                                                       as unused_matched,
         (array_agg(unused_key order by unused_key desc) filter (where unused_key is not null))[1:$2::int] as unused_keys,
         coalesce(array_agg(oid) filter (where invalid), '{}')                   as invalid,
         coalesce(sum(case when fetched > 0 then least(pg_stat_get_blocks_hit(oid), fetched) end), 0) as hits,
         coalesce(sum(fetched), 0)                                               as fetched
  from (
    select oid, case when has_stats then pg_stat_get_blocks_fetched(oid) else 0 end as fetched,
           case when flagged and indisvalid and (not has_stats or pg_stat_get_numscans(oid) = 0)
                then relpages::int8 * 4294967296 + (4294967295 - oid::int8) end as unused_key,
           flagged and not indisvalid as invalid
    from (
      select c.oid, c.relpages, x.indisvalid, x.indexrelid is not null as flagged,
             {{has.stats}} as has_stats
      from {{scope.index.classes}} c
      left join pg_index x on x.indexrelid = c.oid
                          and (not x.indisvalid or not (x.indisunique or x.indisprimary or x.indisexclusion))
      where c.relkind in ('i', 'I') and c.relnamespace in (select oid from scope)
      offset 0  -- evaluate each statistics call once: the query above uses `has_stats` twice
    ) per_index
    offset 0
  ) judged
), found as (
  select 'unused' as kind, (4294967295 - (k % 4294967296))::oid as indexrelid from totals, unnest(unused_keys) k
  union all
  select 'invalid', i from totals, unnest(invalid) i
), named as (
  select f.kind, f.indexrelid, x.indrelid, x.indisready,
         (select relnamespace from pg_class where oid = x.indrelid) as nsp
  from found f
  join lateral (select * from pg_index where indexrelid = f.indexrelid) x on true
)
select kind,
       (select nspname from pg_namespace where oid = nsp)       as schema,
       (select relname from pg_class where oid = indrelid)      as table,
       (select relname from pg_class where oid = indexrelid)    as index,
       null::name                                               as covered_by,
       (select relpages from pg_class where oid = indexrelid)::bigint * current_setting('block_size')::bigint as size_bytes,
       pg_stat_get_numscans(indexrelid)                         as scans,
       not indisready                                           as not_ready,
       null::bigint as unused_matched, null::bigint as hits, null::bigint as reads, null::timestamptz as stats_reset
from named
union all
select 'summary', null, null, null, null, null, null, null,
       unused_matched, hits, fetched - hits,
       (select stats_reset from pg_stat_database where datname = current_database())
from totals
