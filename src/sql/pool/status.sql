-- Every spare schema with its recorded versions (and whether the schema still exists), and
-- the target size. $1 the tenant migrations as version:checksum, in order (what "ready" means,
-- with the default privileges it was built under).
select p.schema_name,
       p.created_at,
       coalesce(v.versions, '{}')                                  as versions,
       -- a spare whose schema was dropped by hand is not ready, whatever its records say; nor one
       -- built under other default privileges than those in force now (pool/claim.sql)
       coalesce(v.versions, '{}') = $1::text[] and n.oid is not null
         and p.built_under = (select d.privileges from tenantctl.default_privileges_now d) as ready,
       (n.oid is not null)                                         as schema_exists,
       (select size from tenantctl.tenant_pool_target)             as target
from tenantctl.tenant_pool p
left join pg_namespace n on n.nspname = p.schema_name
left join lateral (
    select array_agg(m.version || ':' || m.checksum order by m.version::numeric) as versions
    from tenantctl.schema_migrations m
    where m.schema_name = p.schema_name
) v on true
order by p.schema_name
