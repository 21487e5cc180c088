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
