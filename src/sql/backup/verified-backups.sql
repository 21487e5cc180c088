-- Backups whose latest verification passed (a backup that failed its last check does not
-- count as verified, whatever it did before).
select backup_id, verified_at
from (
    select distinct on (backup_id) backup_id::text as backup_id, started_at as verified_at, ok
    from tenantctl.backup_log
    where action = 'verify' and backup_id is not null
    order by backup_id, started_at desc, id desc
) latest
where ok
