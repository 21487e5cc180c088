-- Change a tenant's status; returns the status before. $1 tenant id, $2 new status
-- The registry and its key and status columns are the profile's;
-- updated_at is the schema-per-tenant registry's own column.
update {{registry}} t
set {{registry.status}} = $2, updated_at = now()
from (select {{registry.key}} as key, {{registry.status}} as status from {{registry}} where {{registry.key}} = $1::uuid for update) old
where t.{{registry.key}} = old.key
returning old.status::text as previous, t.{{registry.status}}::text as status, t.updated_at
