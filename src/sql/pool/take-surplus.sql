-- Take one ready spare out of the pool to drop it (`tenant pool fill` with a smaller --size),
-- inside the caller's transaction: the newest first. As in claim.sql, SKIP LOCKED passes over
-- a spare that a `tenant create` is taking right now; one whose migrate lock `migrate up` holds
-- comes back with free = false and stays in the pool (the caller passes it over next time).
-- No row: no ready spare is left to take.
-- $1 the tenant migrations as version:checksum, in order; $2 spares to pass over
with candidate as (
    select p.schema_name
    from tenantctl.tenant_pool p
    where (select array_agg(m.version || ':' || m.checksum order by m.version::numeric)
           from tenantctl.schema_migrations m where m.schema_name = p.schema_name) = $1::text[]
      -- ready as pool/status.sql counts it: another role's spare is that role's to keep
      and p.built_under = (select d.privileges from tenantctl.default_privileges_now d)
      and (select n.nspowner from pg_catalog.pg_namespace n where n.nspname = p.schema_name::name)
          = (select r.oid from pg_catalog.pg_roles r where r.rolname = current_user)
      and p.schema_name <> all($2::text[])
    order by p.created_at desc, p.schema_name desc
    limit 1
    for update of p skip locked
), locked as (
    select schema_name, pg_try_advisory_xact_lock(hashtextextended('tenantctl.migrate:' || schema_name, 0)) as free
    from candidate
), taken as (
    delete from tenantctl.tenant_pool p using locked l
    where p.schema_name = l.schema_name and l.free
)
select schema_name, free from locked
