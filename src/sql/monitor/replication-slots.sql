-- Replication slots and the WAL each one keeps the server from recycling. A slot whose
-- consumer is gone (active = false) retains WAL without bound until the disk fills, which
-- is why check_postgres and every runbook watch it. On a standby the replay position
-- stands in for the current WAL position.
select slot_name::text                                   as slot,
       slot_type                                         as type,
       database::text                                    as database,
       active,
       case when restart_lsn is null then null
            else pg_wal_lsn_diff(
                   case when pg_is_in_recovery() then pg_last_wal_replay_lsn() else pg_current_wal_lsn() end,
                   restart_lsn)::bigint
       end                                               as retained_bytes
from pg_replication_slots
order by retained_bytes desc nulls last, slot
