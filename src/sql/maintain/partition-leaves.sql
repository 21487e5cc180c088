-- Every partition (at any depth) of the given partitioned tables, as schema and table: kept
-- apart, since a name may itself hold a dot.
-- $1 partitioned tables as a JSON array of {"schema": …, "name": …}
select distinct n.nspname::text as schema, c.relname::text as name
from jsonb_to_recordset($1::text::jsonb) as p(schema text, name text)
cross join lateral pg_partition_tree(to_regclass(format('%I.%I', p.schema, p.name))) t
join pg_class c on c.oid = t.relid
join pg_namespace n on n.oid = c.relnamespace
where t.level > 0
