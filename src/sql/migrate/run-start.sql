-- A fleet run begins (before its first schema). $1 action, $2 actor, $3 plan (json),
-- $4 rows to destroy, $5 where (json)
insert into tenantctl.migration_runs (action, actor, plan, destroyed_rows, destroyed)
values ($1, $2, $3::text::jsonb, $4, $5::text::jsonb)
returning id::text as id
