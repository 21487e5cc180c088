-- tenantctl's migration records of a dropped schema. $1 schema name
with m as (delete from tenantctl.schema_migrations where schema_name = $1 returning 1),
     s as (delete from tenantctl.schema_state where schema_name = $1 returning 1)
select (select count(*) from m)::int as schema_migrations, (select count(*) from s)::int as schema_state
