-- The tenants registered now in the profile's registry, each with its own schema, read outside
-- the backup's snapshot (the caller checks that the registry exists): compared with the
-- snapshot's list, they name the tenants created or erased while the backup ran.
select {{registry.key}}::text as id, {{registry.handle}}::text as slug, {{registry.target}}::text as schema
from {{registry}}
order by 2
