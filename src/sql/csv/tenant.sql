-- The tenant behind a slug, and whether its storage (schema) and entity table exist.
-- $1 slug, $2 schema name from the tenancy strategy, $3 table name.
select t.id::text as id,
       t.status,
       (n.oid is not null) as schema_exists,
       exists (select 1 from pg_class c where c.relnamespace = n.oid and c.relname = $3 and c.relkind in ('r', 'p')) as table_exists
from public.tenants t
left join pg_namespace n on n.nspname = $2
where t.slug = $1
