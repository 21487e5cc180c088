-- A fleet run ended. $1 run id, $2 ok, $3 counts (json)
update tenantctl.migration_runs
set finished_at = now(), ok = $2, counts = $3::text::jsonb
where id = $1::bigint
