-- Can pg_stat_statements be read here? Installed (CREATE EXTENSION) in this database,
-- shipped with the server (contrib), and loaded at server start (shared_preload_libraries).
-- pg_settings hides superuser-only settings from other roles: preload_setting is then null.
select current_setting('server_version_num')::int                          as version_num,
       current_database()                                                   as database,
       (select n.nspname
          from pg_extension e join pg_namespace n on n.oid = e.extnamespace
         where e.extname = 'pg_stat_statements')                           as schema,
       exists (select 1 from pg_available_extensions
                where name = 'pg_stat_statements')                         as available,
       (select setting from pg_settings
         where name = 'shared_preload_libraries')                           as preload_setting,
       (select sourcefile from pg_settings
         where name = 'config_file')                                        as config_file
