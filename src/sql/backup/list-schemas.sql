-- Every user schema with the number of relations pg_dump may lock in it (tables, views,
-- sequences, materialized and foreign tables): the weight used to size dump chunks; and the
-- size of its tables' heaps from the statistics (relpages, no file is read), which is what
-- progress measures the dump against.
select n.nspname as schema,
       count(c.oid) filter (where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f'))::int as relations,
       (coalesce(sum(greatest(c.relpages, 0)) filter (where c.relkind in ('r', 'm')), 0)
          * current_setting('block_size')::bigint)::text as bytes
from pg_namespace n
left join pg_class c on c.relnamespace = n.oid
where n.nspname <> 'information_schema'
  and n.nspname !~ '^pg_'
group by n.nspname
order by n.nspname
