-- After a migration's statements, before its commit: are the tenant registry and tenantctl's
-- bookkeeping still there? The registry may legitimately be absent before the shared
-- baseline, so the caller decides what a missing registry means.
-- $1 the profile's registry (quoted qualified name, e.g. "public"."tenants"), or null where
-- the plan names none (a warm-pool spare): registry is then null, not checked.
select case when $1::text is null then null else to_regclass($1::text) is not null end as registry,
       to_regclass('tenantctl.schema_migrations') is not null
   and to_regclass('tenantctl.schema_state') is not null         as bookkeeping
