-- Whether the pooled schema and the tenant table that `citus check` was given exist.
-- $1 schema name, $2 table name (null: not given).
select exists (select 1 from pg_namespace where nspname = $1) as schema,
       exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p')) as registry
