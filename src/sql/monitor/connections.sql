-- Client connections grouped by database, role, application and state. A session this role
-- may not see (another role's, without pg_read_all_stats) has no backend_type nor state:
-- counted all the same, as state 'hidden' (see stats-visibility.sql).
select coalesce(datname, '')                  as database,
       coalesce(usename, '')                  as role,
       coalesce(application_name, '')         as application,
       coalesce(state, case when backend_type is null then 'hidden' else 'unknown' end) as state,
       count(*)::int                          as connections,
       (count(*) filter (where wait_event_type = 'Lock'))::int as waiting_on_lock,
       -- now() is the transaction's start: a session that changed state since reads as 0, never less
       greatest(max(extract(epoch from now() - state_change) * 1000), 0)::float8 as longest_in_state_ms
from pg_stat_activity
where backend_type = 'client backend'
   or (backend_type is null and datid is not null and usesysid is not null)
group by 1, 2, 3, 4
order by connections desc, database, role, application, state
