-- One line of tenantctl.backup_log; $1 action, $2 backup id, $3 path, $4 manifest sha256,
-- $5 started at, $6 duration ms, $7 ok, $8 summary (json), $9 faults (json).
insert into tenantctl.backup_log (action, backup_id, backup_path, manifest_sha256, started_at, duration_ms, ok, summary, faults)
values ($1, $2::uuid, $3, $4, $5, $6, $7, $8::text::jsonb, $9::text::jsonb)
returning id
