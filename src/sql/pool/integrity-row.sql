-- Is the pool row of the spare schema being migrated still there? $1 schema
select exists (select 1 from tenantctl.tenant_pool where schema_name = $1) as present
