-- Ids of the tenants registered now (the caller checks public.tenants exists).
select id::text as id from public.tenants
