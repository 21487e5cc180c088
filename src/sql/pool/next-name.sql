-- The name of the next spare schema.
select 'tenantctl_pool_' || nextval('tenantctl.tenant_pool_number') as schema_name
