-- Client connections grouped by database, role, application and state.
select coalesce(datname, '')                  as database,
       coalesce(usename, '')                  as role,
       coalesce(application_name, '')         as application,
       coalesce(state, 'unknown')             as state,
       count(*)::int                          as connections,
       (count(*) filter (where wait_event_type = 'Lock'))::int as waiting_on_lock,
       max(extract(epoch from now() - state_change) * 1000)::float8 as longest_in_state_ms
from pg_stat_activity
where backend_type = 'client backend'
group by 1, 2, 3, 4
order by connections desc, database, role, application, state
