-- Every partition (at any depth) of the given partitioned tables, as schema.table.
-- $1 partitioned tables as a JSON array of "schema.table"
select distinct n.nspname || '.' || c.relname as leaf
from jsonb_array_elements_text($1::text::jsonb) as p(name)
cross join lateral pg_partition_tree(to_regclass(format('%I.%I', split_part(p.name, '.', 1), split_part(p.name, '.', 2)))) t
join pg_class c on c.oid = t.relid
join pg_namespace n on n.oid = c.relnamespace
where t.level > 0
