-- Ids of the backups this database logged as created: for a manifest that does not record
-- the cluster's system identifier, this database's own record is what makes it "ours".
select distinct backup_id::text as backup_id
from tenantctl.backup_log
where action = 'create' and ok and backup_id is not null
