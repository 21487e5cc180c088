-- A claimed spare is now the tenant's schema: its migration history moves with it.
-- $1 spare schema name, $2 the tenant's schema name
with moved as (
    update tenantctl.schema_migrations set schema_name = $2 where schema_name = $1
)
update tenantctl.schema_state set schema_name = $2 where schema_name = $1
