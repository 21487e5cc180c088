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
