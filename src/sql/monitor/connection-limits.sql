-- How many client connections exist against how many the server allows. Ordinary roles cannot
-- use the slots superuser_reserved_connections keeps for superusers, nor (since 16) those
-- reserved_connections keeps for roles with pg_use_reserved_connections: the missing_ok read
-- is NULL before 16, where there is no such reserve. Sessions this role may not see count
-- too (see stats-visibility.sql).
select current_setting('max_connections')::int                               as max_connections,
       current_setting('superuser_reserved_connections')::int                as superuser_reserved,
       coalesce(current_setting('reserved_connections', true)::int, 0)       as role_reserved,
       (select count(*) from pg_stat_activity
         where backend_type = 'client backend'
            or (backend_type is null and datid is not null and usesysid is not null))::int as used
