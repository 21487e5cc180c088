-- Every tenant's schema name (so that catalog scans can tell tenant schemas from shared ones).
select coalesce(array_agg(schema_name::text), '{}') as schemas from public.tenants
