-- The backup log: every `backup create`, `verify`, `restore-tenant` and `prune`, kept in the
-- live database so that "when was this backup last proven restorable" is one query.
-- Idempotent: safe to run on every command.
create schema if not exists tenantctl;

create table if not exists tenantctl.backup_log (
    id               bigserial   primary key,
    action           text        not null check (action in ('create', 'verify', 'restore-tenant', 'prune')),
    backup_id        uuid,
    backup_path      text        not null,
    manifest_sha256  text,
    started_at       timestamptz not null,
    duration_ms      integer     not null,
    ok               boolean     not null,
    summary          jsonb       not null default '{}',
    faults           jsonb       not null default '[]'
);

create index if not exists backup_log_backup_idx on tenantctl.backup_log (backup_id, action, started_at desc);
create index if not exists backup_log_started_idx on tenantctl.backup_log (started_at desc);
