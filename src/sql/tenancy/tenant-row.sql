-- The tenant's registry row as it is now (after its lock was taken). $1 tenant id
select schema_name from public.tenants where id = $1::uuid
