-- The manifest sha256 recorded when this backup was created; $1 backup id.
select manifest_sha256
from tenantctl.backup_log
where backup_id = $1::uuid and action = 'create' and ok
order by started_at desc
limit 1
