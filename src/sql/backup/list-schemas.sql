-- Every user schema with the number of relations pg_dump may lock in it (tables, views,
-- sequences, materialized and foreign tables): the weight used to size dump chunks.
select n.nspname as schema,
       count(c.oid) filter (where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f'))::int as relations
from pg_namespace n
left join pg_class c on c.relnamespace = n.oid
where n.nspname <> 'information_schema'
  and n.nspname !~ '^pg_'
group by n.nspname
order by n.nspname
