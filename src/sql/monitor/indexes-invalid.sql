-- Invalid indexes: a CREATE INDEX CONCURRENTLY that failed (or is still running). They cost
-- writes and serve no reads; drop and rebuild them. $1 schemas (empty = all but the warm pool's spares, which are no tenant's).
select n.nspname                                             as schema,
       t.relname                                             as table,
       i.relname                                             as index,
       i.relpages::bigint * current_setting('block_size')::bigint as size_bytes,
       not x.indisready                                      as not_ready
from pg_index x
join pg_class i on i.oid = x.indexrelid
join pg_class t on t.oid = x.indrelid
join pg_namespace n on n.oid = t.relnamespace
where not x.indisvalid
  and (cardinality($1::text[]) = 0 and n.nspname !~ '^tenantctl_pool_[0-9]+$' or n.nspname = any($1::text[]))
order by schema, "table", index
