-- tenantctl's own bookkeeping. One central table for the whole fleet, so that "what is
-- pending where" is one query instead of one connection per tenant schema.
create schema if not exists tenantctl;

create table if not exists tenantctl.schema_migrations (
    schema_name  text        not null,
    scope        text        not null check (scope in ('shared', 'tenant')),
    version      text        not null,
    name         text        not null,
    checksum     text        not null,
    applied_at   timestamptz not null default now(),
    duration_ms  integer     not null,
    primary key (schema_name, version)
);

-- The last outcome per schema (ok / failed with its error), kept so that a partial
-- failure never leaves a mixed-version fleet with no record of who is where.
create table if not exists tenantctl.schema_state (
    schema_name  text        primary key,
    scope        text        not null check (scope in ('shared', 'tenant')),
    status       text        not null check (status in ('ok', 'failed')),
    version      text,
    error        jsonb,
    updated_at   timestamptz not null default now()
);

-- The versions of a scope applied anywhere (asked by every tenant create to refuse an older
-- checkout) are a handful among tens of thousands of rows at 10,000 tenants: this index lets
-- migrate/applied-versions.sql skip from one distinct version to the next instead of reading
-- the table. Created last: ensureBookkeeping looks for it, so a database bootstrapped by an
-- older tenantctl gets it on the next run.
create index if not exists schema_migrations_scope_version on tenantctl.schema_migrations (scope, version);
