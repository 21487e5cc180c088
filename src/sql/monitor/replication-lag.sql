-- Standbys attached to this primary and how far behind they replay, in bytes of WAL.
-- Empty on a standby or when there are none.
select application_name                                     as standby,
       coalesce(host(client_addr), '')                      as client,
       state,
       case when pg_is_in_recovery() then null
            else pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint end as lag_bytes
from pg_stat_replication
order by lag_bytes desc nulls last
