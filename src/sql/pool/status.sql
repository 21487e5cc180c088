-- Every spare schema with its recorded versions (and whether the schema still exists), and
-- the target size. $1 the tenant migrations as version:checksum, in order.
-- A spare is `ready` when a `tenant create` run by this role would take it (pool/claim.sql): at
-- exactly these migrations, its schema present, built under the default privileges in force now
-- and owned by this role. The other facts say why one is not: a spare dropped by hand, one behind
-- the migrations (migrate up brings it forward), one built before an ALTER DEFAULT PRIVILEGES
-- (never handed out again: fill and maintain drop it), one owned by another role (that role's
-- creates take it; this role's pass it over).
select p.schema_name,
       p.created_at,
       coalesce(v.versions, '{}')                                  as versions,
       coalesce(v.versions, '{}') = $1::text[] and n.oid is not null
         and p.built_under = d.privileges and n.nspowner = r.oid     as ready,
       coalesce(v.versions, '{}') = $1::text[]                      as at_migrations,
       (n.oid is not null)                                         as schema_exists,
       p.built_under = d.privileges                                as privileges_now,
       -- the owner by name only for another role's (whoever it is, this role cannot use it)
       case when n.nspowner <> r.oid then pg_catalog.pg_get_userbyid(n.nspowner)::text end as other_owner,
       (select size from tenantctl.tenant_pool_target)             as target
from tenantctl.tenant_pool p
cross join (select v.privileges from tenantctl.default_privileges_now v) d
cross join (select r.oid from pg_catalog.pg_roles r where r.rolname = current_user) r
left join pg_catalog.pg_namespace n on n.nspname = p.schema_name::name
left join lateral (
    select array_agg(m.version || ':' || m.checksum order by m.version::numeric) as versions
    from tenantctl.schema_migrations m
    where m.schema_name = p.schema_name
) v on true
order by p.schema_name
