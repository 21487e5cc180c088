-- A fleet run begins (before its first schema), under the fleet lock: no other run is going,
-- so a run still without an end is one whose process died (a second Ctrl-C, kill -9, a lost
-- connection) before it recorded it. It is closed first, as failed and abandoned, so that the
-- audit trail never shows a run as still going forever.
-- $1 action, $2 actor, $3 plan (json), $4 rows to destroy, $5 where (json)
with abandoned as (
    update tenantctl.migration_runs
    set finished_at = now(), ok = false, counts = coalesce(counts, '{}'::jsonb) || '{"abandoned": true}'::jsonb
    where finished_at is null
)
insert into tenantctl.migration_runs (action, actor, plan, destroyed_rows, destroyed)
values ($1, $2, $3::text::jsonb, $4, $5::text::jsonb)
returning id::text as id
