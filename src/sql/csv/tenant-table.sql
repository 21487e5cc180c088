-- Whether a tenant's storage holds an entity's table: its schema, and the table in it.
-- $1 schema (the registry's: a tenant's own, or the pooled one), $2 table name.
select (n.oid is not null) as schema_exists,
       exists (select 1 from pg_class c where c.relnamespace = n.oid and c.relname = $2 and c.relkind in ('r', 'p')) as table_exists
from (select $1::text as name) s
left join pg_namespace n on n.nspname = s.name
