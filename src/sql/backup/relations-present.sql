-- Which of tenantctl's inputs exist in this database (a fresh one may have neither).
-- $1 the profile's registry as a quoted name (null: a registry of no schema-owning tenants).
select to_regclass($1::text) is not null                           as tenants,
       to_regclass('tenantctl.schema_migrations') is not null      as migrations
