-- Record migrations that another tool (dbmate) or a verified baseline already applied, as if
-- tenantctl had run them: same rows as a normal run, duration 0. Versions already recorded
-- are left alone, so adopting twice changes nothing. The per-schema lock keeps a concurrent
-- `migrate up` from applying a file while we record it.
-- $1 lock name, $2 schema, $3 scope, $4 versions, $5 names, $6 checksums (same order)
with locked as (
    select pg_advisory_xact_lock(hashtextextended($1, 0))
),
recorded as (
    insert into tenantctl.schema_migrations (schema_name, scope, version, name, checksum, duration_ms)
    select $2, $3, v.version, v.name, v.checksum, 0
      from locked, unnest($4::text[], $5::text[], $6::text[]) as v(version, name, checksum)
    on conflict (schema_name, version) do nothing
    returning version
)
select version from recorded
