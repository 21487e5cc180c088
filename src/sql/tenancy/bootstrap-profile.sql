-- Which tenancy profile this database belongs to, recorded by its first `migrate up` so
-- that later commands need no --profile flag. One row at most (the key is always true).
create schema if not exists tenantctl;

create table if not exists tenantctl.profile (
    singleton    boolean     primary key default true check (singleton),
    name         text        not null,
    recorded_at  timestamptz not null default now(),
    recorded_by  text        not null default current_user
);
