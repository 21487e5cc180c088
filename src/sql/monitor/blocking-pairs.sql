-- Who blocks whom: one row per (blocked session, session it waits for). Only sessions
-- waiting on a heavyweight lock are examined (see activity.sql). $1 query text length.
select w.pid                                                       as blocked_pid,
       coalesce(w.usename, '')                                     as blocked_role,
       round((extract(epoch from now() - w.state_change) * 1000)::numeric)::float8 as waiting_ms,
       left(regexp_replace(w.query, '\s+', ' ', 'g'), $1::int)    as blocked_query,
       b.pid                                                       as blocking_pid,
       coalesce(b.usename, '')                                     as blocking_role,
       coalesce(b.state, '')                                       as blocking_state,
       round((extract(epoch from now() - b.xact_start) * 1000)::numeric)::float8 as blocking_xact_ms,
       left(regexp_replace(b.query, '\s+', ' ', 'g'), $1::int)    as blocking_query
from pg_stat_activity w
cross join lateral unnest(pg_blocking_pids(w.pid)) as bp(pid)
left join pg_stat_activity b on b.pid = bp.pid
where w.wait_event_type = 'Lock'
order by waiting_ms desc, blocked_pid, blocking_pid
