-- Every tenant with its schema and whether that schema exists. public.tenants may not
-- exist yet (fresh database), so the caller checks to_regclass first.
-- $1 only tenants whose schema is one of these (null = every tenant).
select t.id::text        as id,
       t.slug,
       t.schema_name,
       t.status,
       (n.oid is not null) as schema_exists
from public.tenants t
left join pg_namespace n on n.nspname = t.schema_name
where $1::text[] is null or t.schema_name = any($1::text[])
order by t.slug
