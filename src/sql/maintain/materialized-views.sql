-- Every materialized view, whether it holds data, and whether it has a unique index that
-- REFRESH … CONCURRENTLY can use (unique, on plain columns, no WHERE clause, valid).
select n.nspname as schema,
       c.relname as name,
       c.relispopulated as populated,
       exists (select 1 from pg_index i
                where i.indrelid = c.oid and i.indisunique and i.indisvalid
                  and i.indpred is null and i.indexprs is null) as has_unique_index
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind = 'm'
  and n.nspname not in ('pg_catalog', 'information_schema')
order by 1, 2
