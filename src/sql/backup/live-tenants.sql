-- The tenants registered now, read outside the backup's snapshot (the caller checks that
-- public.tenants exists): compared with the snapshot's list, they name the tenants created
-- or erased while the backup ran.
select id::text as id, slug, schema_name as schema from public.tenants order by slug
