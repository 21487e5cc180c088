-- The warm pool: spare tenant schemas built ahead (`tenant pool fill`), migrated with the
-- fleet, handed out by `tenant create` under the tenant's real name. A pooled schema is
-- never in the tenant registry, so nothing that lists tenants ever sees it; its name
-- (tenantctl_pool_<n>) cannot be a tenant's schema (those are tenant_<slug>).
create schema if not exists tenantctl;

create table if not exists tenantctl.tenant_pool (
    schema_name  text        primary key check (schema_name ~ '^tenantctl_pool_[0-9]+$'),
    created_at   timestamptz not null default now()
);

create sequence if not exists tenantctl.tenant_pool_number;

-- How many spares `maintain` keeps: the size last asked for by `tenant pool fill --size`.
create table if not exists tenantctl.tenant_pool_target (
    one   boolean primary key default true check (one),
    size  integer not null check (size >= 0)
);

-- The spare's columns of date and time types that hold values its migrations stamped (a
-- default of now(), a seed row's current_date): `tenant create` sets them to its own time, as a
-- create without the pool stamps them (pool/note-stamped.sql, pool/claim.sql).
alter table tenantctl.tenant_pool add column if not exists stamped jsonb not null default '[]';

-- The default privileges a spare was built under (the view below, when it was added): its
-- tables got their grants from them. A create takes only a spare built under the ones in force
-- now, as a create without the pool would be (pool/claim.sql, pool/status.sql).
alter table tenantctl.tenant_pool add column if not exists built_under text not null default '';

-- The default privileges that objects the current role creates get (ALTER DEFAULT PRIVILEGES
-- FOR ROLE … without IN SCHEMA: those IN SCHEMA name a schema a new tenant's is not), as text.
-- A view so that the three statements comparing them share one definition; current_user in it
-- is the querying session's.
create or replace view tenantctl.default_privileges_now as
select coalesce(string_agg(d.defaclobjtype::text || ':' || d.defaclacl::text, ',' order by d.defaclobjtype), '') as privileges
from pg_catalog.pg_default_acl d
where d.defaclrole = (select r.oid from pg_catalog.pg_roles r where r.rolname = current_user)
  and d.defaclnamespace = 0;
