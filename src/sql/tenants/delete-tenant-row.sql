-- The tenant's row itself, last. $1 tenant id
with d as (delete from public.tenants where id = $1::uuid returning 1)
select count(*)::int as rows from d
