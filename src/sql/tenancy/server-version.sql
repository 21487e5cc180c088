-- The server's version, as people read it (14.23) and as a number to compare (140023).
select current_setting('server_version')           as version,
       current_setting('server_version_num')::int  as version_num
