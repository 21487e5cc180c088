-- Scratch databases of verify runs that are gone (killed with SIGKILL, machine crash): a
-- live run keeps a session whose application_name names its scratch database.
-- $1 the scratch name prefix of the current database (see scratchPrefix in src/backup/scratch.ts).
select d.datname as name
from pg_database d
where starts_with(d.datname, $1)
  and not exists (select 1 from pg_stat_activity a where a.application_name = 'tenantctl-verify:' || d.datname)
order by 1
