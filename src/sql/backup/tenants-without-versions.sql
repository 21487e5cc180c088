-- Every tenant of the profile's registry, for a database where tenantctl.schema_migrations
-- does not exist yet.
select t.{{registry.key}}::text as id, t.{{registry.handle}}::text as slug, t.{{registry.target}}::text as schema,
       t.{{registry.status}}::text as status, '{}'::text[] as applied
from {{registry}} t
order by 2
