-- How many client connections exist against how many the server allows. Superuser-reserved
-- slots are not available to ordinary roles, so "available" subtracts them. Sessions this
-- role may not see count too (see stats-visibility.sql).
select current_setting('max_connections')::int                               as max_connections,
       current_setting('superuser_reserved_connections')::int                as reserved,
       (select count(*) from pg_stat_activity
         where backend_type = 'client backend'
            or (backend_type is null and datid is not null and usesysid is not null))::int as used
