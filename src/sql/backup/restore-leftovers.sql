-- Schemas left by restore-tenant runs that died before their last transaction (SIGKILL,
-- crash): a restore stages the tenant under tenantctl_restore_<hex> and, while it runs,
-- keeps a session whose application_name names that schema. A staging schema without
-- such a session belongs to nobody and holds no registered tenant's data.
select n.nspname as schema
from pg_namespace n
where starts_with(n.nspname, 'tenantctl_restore_')
  and not exists (select 1 from pg_stat_activity a where a.application_name = 'tenantctl-restore:' || n.nspname)
order by 1
