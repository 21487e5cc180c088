-- The tenant's registry row (the profile's registry, e.g. public.tenants) as it is now,
-- after its lock was taken. $1 tenant id
select {{registry.target}}::text as schema_name from {{registry}} where {{registry.key}} = $1::uuid
