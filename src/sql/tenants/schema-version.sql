-- Versions recorded for a tenant schema. $1 schema name
select coalesce(array_agg(version order by version::numeric), '{}') as versions,
       (select status from tenantctl.schema_state where schema_name = $1) as state
from tenantctl.schema_migrations
where schema_name = $1
