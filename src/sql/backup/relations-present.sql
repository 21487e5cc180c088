-- Which of tenantctl's inputs exist in this database (a fresh one may have neither).
select to_regclass('public.tenants') is not null                as tenants,
       to_regclass('tenantctl.schema_migrations') is not null   as migrations
