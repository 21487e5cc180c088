-- Whether this role sees every session's state and query: a superuser or a member of
-- pg_read_all_stats (pg_monitor includes it) does. Any other role sees other roles' sessions
-- only as their database, role and application: backend_type, state and timings are NULL and
-- the query reads "<insufficient privilege>". $hidden counts those rows that are sessions
-- (connected to a database as a role; background processes have no role). A hidden parallel
-- worker counts too: it lives as long as its leader's query.
select current_user                                      as role,
       pg_has_role('pg_read_all_stats', 'usage')         as sees_all,
       (select count(*) from pg_stat_activity
         where backend_type is null and datid is not null and usesysid is not null)::int as hidden
