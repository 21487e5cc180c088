-- How many bookkeeping rows a schema has. $1 schema name
select (select count(*) from tenantctl.schema_migrations where schema_name = $1)::int as schema_migrations,
       (select count(*) from tenantctl.schema_state where schema_name = $1)::int      as schema_state
