-- What this database recorded when the backup was created: the manifest's sha256 and the
-- digest of its table figures (absent for backups made without the rewrite check); $1 backup id.
select manifest_sha256, summary ->> 'tablesSha256' as tables_sha256
from tenantctl.backup_log
where backup_id = $1::uuid and action = 'create' and ok
order by started_at desc
limit 1
