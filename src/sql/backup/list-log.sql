-- Past backup actions, newest first; $1 limit, $2 backup id or null for all.
select id, action, backup_id::text as backup_id, backup_path, manifest_sha256, started_at, duration_ms, ok, summary::text as summary, faults::text as faults
from tenantctl.backup_log
where $2::uuid is null or backup_id = $2::uuid
order by started_at desc, id desc
limit $1
