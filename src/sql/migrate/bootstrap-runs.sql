-- The audit trail of fleet migration runs (migrate up / down): who ran what, on how many
-- schemas, what it destroyed, how it ended. In tenantctl's own schema, not in
-- public.audit_logs: that table is created by the shared baseline (absent before the first
-- run), dropped by reverting it (the very run to record), and pruned by retention.
create schema if not exists tenantctl;

create table if not exists tenantctl.migration_runs (
    id              bigserial   primary key,
    action          text        not null check (action in ('migrate.up', 'migrate.down')),
    actor           text        not null,
    started_at      timestamptz not null default now(),
    finished_at     timestamptz,
    -- null while the run is going (or if it died); then whether every schema succeeded
    ok              boolean,
    -- the plan: scopes and versions per scope, schema counts, the flags that chose them
    plan            jsonb       not null,
    -- rows the down sections were measured to destroy (0 for up), and where
    destroyed_rows  bigint      not null default 0,
    destroyed       jsonb       not null default '[]',
    -- the summary of the run: applied / reverted / failed / skipped per schema
    counts          jsonb
);
