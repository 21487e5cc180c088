-- Forget a spare (dropped because it could not be migrated, or no longer exists), with its bookkeeping. $1 schema name
with history as (
    delete from tenantctl.schema_migrations where schema_name = $1
), state as (
    delete from tenantctl.schema_state where schema_name = $1
)
delete from tenantctl.tenant_pool where schema_name = $1
