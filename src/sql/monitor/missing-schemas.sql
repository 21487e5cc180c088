-- The names given to --schema that no schema of this database has, in the order given.
-- $1 the names, as typed
select s.name
from unnest($1::text[]) with ordinality as s(name, position)
where not exists (select 1 from pg_catalog.pg_namespace n where n.nspname = s.name)
order by s.position
