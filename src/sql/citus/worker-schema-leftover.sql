-- On a Citus worker (shards visible): does the tenant's schema still exist there, and how
-- many relations (shards, shells, sequences, views) does it still hold? $1 schema name.
select count(c.oid)::int as relations
from pg_namespace n
left join pg_class c on c.relnamespace = n.oid
where n.nspname = $1
group by n.oid
