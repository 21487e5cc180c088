-- wal_level on the coordinator and on every worker: an online move (logical replication)
-- needs 'logical' on the source and target workers.
select 'coordinator' as node, current_setting('wal_level') as wal_level
union all
select nodename || ':' || nodeport, result
from run_command_on_workers($$select current_setting('wal_level')$$)
