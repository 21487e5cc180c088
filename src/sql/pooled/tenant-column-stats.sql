-- The planner's statistics on each pooled table's tenant column, for per-tenant size estimates
-- (POOLED.md §6): the most common tenant ids with their frequencies, the number of distinct
-- ids, the NULL fraction (platform rows), and the table's row estimate (its bytes come from
-- table-sizes.sql, read beside this). A partitioned table's rows are in its partitions: its
-- statistics are the ones ANALYZE gathers over all of them (inherited; autovacuum never gathers
-- those, a plain ANALYZE does), an ordinary table's its own.
-- No row is read: a few ms for every table whatever their size. Stats are null before ANALYZE
-- and for an empty table (never_analyzed tells the two apart: reltuples is -1 until the first one).
-- $1 schema, $2 JSON array of {"table": …, "column": …}
select w.table,
       w.column,
       greatest(c.reltuples, 0)::float8 as reltuples,
       (c.reltuples < 0) as never_analyzed,
       s.null_frac::float8 as null_frac,
       s.n_distinct::float8 as n_distinct,
       s.most_common_vals::text::text[] as mcv,
       s.most_common_freqs::float8[] as freqs
from jsonb_to_recordset($2::text::jsonb) as w("table" text, "column" text)
join pg_namespace n on n.nspname = $1
join pg_class c on c.relnamespace = n.oid and c.relname = w.table and c.relkind in ('r', 'p')
left join pg_stats s on s.schemaname = $1 and s.tablename = w.table and s.attname = w.column
                   and s.inherited = (c.relkind = 'p')
