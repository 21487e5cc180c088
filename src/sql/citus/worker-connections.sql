-- Client connections per worker, asked on each worker through the coordinator.
select nodename as host, nodeport as port, success, result
from run_command_on_workers($$select count(*) from pg_stat_activity where backend_type = 'client backend'$$)
