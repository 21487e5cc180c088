-- Every tenant, for a database where tenantctl.schema_migrations does not exist yet.
select t.id::text as id, t.slug, t.schema_name as schema, t.status, '{}'::text[] as applied
from public.tenants t
order by t.slug
