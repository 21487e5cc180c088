-- Forget a reverted migration and mark the schema healthy, in one round trip.
-- $1 schema, $2 scope, $3 version
with reverted as (
    delete from tenantctl.schema_migrations where schema_name = $1 and version = $3
    returning schema_name
)
insert into tenantctl.schema_state (schema_name, scope, status, version, error, updated_at)
select $1, $2, 'ok', null, null, now() from reverted
on conflict (schema_name) do update
   set status = 'ok', version = null, error = null, updated_at = now()
