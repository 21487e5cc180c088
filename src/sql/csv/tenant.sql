-- The tenant behind a slug, its registered schema, and whether that schema and the entity
-- table exist. The registry is the authority: a schema need not be named tenant_<slug>
-- (seed 004 also allows tenant_<uuid_short>).
-- $1 slug, $2 table name.
select t.id::text as id,
       t.status,
       t.schema_name,
       (n.oid is not null) as schema_exists,
       exists (select 1 from pg_class c where c.relnamespace = n.oid and c.relname = $2 and c.relkind in ('r', 'p')) as table_exists
from public.tenants t
left join pg_namespace n on n.nspname = t.schema_name
where t.slug = $1
