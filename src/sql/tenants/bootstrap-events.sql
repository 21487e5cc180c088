-- tenantctl's own record of what it did to a tenant's status (suspend, resume): who, when,
-- why. The pooled seeds have no audit table of their own, so this is the one place the
-- reason lives for every profile (commerce also writes public.audit_logs). tenant_id is the
-- registry key as text (uuid, bigint … whatever the profile's registry uses); no foreign
-- key, so it works for every registry, and an erasure deletes the tenant's events
-- (src/tenants/tool-history.ts). Idempotent.
create schema if not exists tenantctl;

create table if not exists tenantctl.tenant_events (
    id           bigint      generated always as identity primary key,
    tenant_id    text        not null,
    action       text        not null,
    from_status  text,
    to_status    text,
    actor        text        not null,
    reason       text,
    ticket       text,
    at           timestamptz not null default now()
);

create index if not exists tenant_events_tenant on tenantctl.tenant_events (tenant_id, at desc);
