-- Inside a migration's transaction: take the per-schema lock (so two runs never apply the
-- same migration twice), point search_path at the schema, say whether the version is
-- already applied (another run may have done it while we waited for the lock), and note the
-- highest OID in use: objects the migration creates get higher ones (integrity.ts).
-- $1 lock name, $2 search_path, $3 schema, $4 version
select pg_advisory_xact_lock(hashtextextended($1, 0)) is not null as locked,
       set_config('search_path', $2, true) is not null          as path_set,
       exists (select 1 from tenantctl.schema_migrations
               where schema_name = $3 and version = $4)         as applied,
       greatest((select max(oid) from pg_catalog.pg_class), (select max(oid) from pg_catalog.pg_proc),
                (select max(oid) from pg_catalog.pg_type), (select max(oid) from pg_catalog.pg_namespace))::text::bigint as watermark
