-- After a migration's statements, before its commit: are the tenant registry and tenantctl's
-- bookkeeping still there? (public.tenants may legitimately be absent before the shared
-- baseline, so the caller decides what a missing registry means.)
select to_regclass('public.tenants') is not null                 as registry,
       to_regclass('tenantctl.schema_migrations') is not null
   and to_regclass('tenantctl.schema_state') is not null         as bookkeeping
