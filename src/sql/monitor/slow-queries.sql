-- Top statements from pg_stat_statements. Column names differ by server version
-- (total_time / total_exec_time, blk_read_time / shared_blk_read_time, ...); the caller
-- detects them and passes them as values, and to_jsonb(p) ->> name reads a column by name.
-- $1 total time column, $2 mean time column, $3 plan time column or '', $4 I/O read time
-- column or '', $5 I/O write time column or '', $6 sort (total|mean|calls), $7 limit,
-- $8 all databases, $9 query text length. Runs with search_path set to the extension's schema.
with s as (
  select to_jsonb(p) as j
  from pg_stat_statements p
  where $8::boolean or p.dbid = (select oid from pg_database where datname = current_database())
), v as (
  select j,
         (j ->> 'calls')::bigint                                   as calls,
         (j ->> $1)::float8                                        as total_ms,
         (j ->> $2)::float8                                        as mean_ms,
         case when $3 <> '' then (j ->> $3)::float8 end            as plan_ms,
         case when $4 <> '' then (j ->> $4)::float8 + coalesce((j ->> nullif($5, ''))::float8, 0) end as io_ms,
         (j ->> 'rows')::bigint                                    as rows,
         (j ->> 'shared_blks_hit')::bigint                         as blks_hit,
         (j ->> 'shared_blks_read')::bigint                        as blks_read
  from s
)
select j ->> 'queryid'                                               as queryid,
       d.datname                                                     as database,
       r.rolname                                                     as role,
       calls, total_ms, mean_ms, plan_ms, io_ms, rows, blks_hit, blks_read,
       round((100.0 * blks_hit / nullif(blks_hit + blks_read, 0))::numeric, 2)::float8 as cache_hit_pct,
       round((100.0 * total_ms / nullif(sum(total_ms) over (), 0))::numeric, 2)::float8 as pct_of_total,
       left(regexp_replace(j ->> 'query', '\s+', ' ', 'g'), $9::int) as query
from v
left join pg_database d on d.oid = (j ->> 'dbid')::oid
left join pg_roles r on r.oid = (j ->> 'userid')::oid
order by case $6 when 'calls' then calls::float8 when 'mean' then mean_ms else total_ms end desc nulls last,
         total_ms desc
limit $7::int
