-- Is the registry row of the schema being migrated still there? $1 schema
select exists (select 1 from public.tenants where schema_name = $1) as present
