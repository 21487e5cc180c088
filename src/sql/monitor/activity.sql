-- Sessions doing something (not idle), longest first, without this monitoring session.
-- duration: how long the current query has run (active) or the session has sat idle
-- inside its transaction (idle in transaction). pg_blocking_pids() is only asked for
-- sessions waiting on a lock: it takes the lock manager's locks, so not for every row.
-- $1 minimum duration in ms (blocked sessions are always shown), $2 query text length.
with a as (
  select pid, datname, usename, application_name, client_addr, state, wait_event_type, wait_event, backend_type,
         extract(epoch from now() - xact_start) * 1000  as xact_ms,
         case when state = 'active' then extract(epoch from now() - query_start) * 1000
              else extract(epoch from now() - state_change) * 1000 end as duration_ms,
         case when wait_event_type = 'Lock' then pg_blocking_pids(pid) else '{}'::int[] end as blocked_by,
         query
  from pg_stat_activity
  where pid <> pg_backend_pid()
    and state is not null and state <> 'idle'
    and backend_type = 'client backend'
)
select pid, coalesce(datname, '') as database, coalesce(usename, '') as role,
       coalesce(application_name, '') as application, host(client_addr) as client,
       state, wait_event_type, wait_event,
       round(duration_ms::numeric)::float8 as duration_ms,
       round(xact_ms::numeric)::float8 as xact_ms,
       blocked_by,
       left(regexp_replace(query, '\s+', ' ', 'g'), $2::int) as query
from a
where duration_ms >= $1::float8 or cardinality(blocked_by) > 0
order by cardinality(blocked_by) > 0 desc, duration_ms desc nulls last
