-- The columns the installed pg_stat_statements view really has (they were renamed in
-- PostgreSQL 13 and 17), so the caller picks names that exist instead of guessing.
select a.attname::text as name
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1 and c.relname = 'pg_stat_statements' and a.attnum > 0 and not a.attisdropped
order by a.attnum
