-- Once the schema's lock is held: are the spare schema and its pool row still there (see
-- migrate/target-present.sql)? $1 schema
select exists (select 1 from pg_catalog.pg_namespace n where n.nspname = $1::text) as schema,
       exists (select 1 from tenantctl.tenant_pool where schema_name = $1::text) as registered
