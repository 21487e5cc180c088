-- The tables retention rules name, in the schemas they apply to: kind, columns, and for a
-- partitioned table its leaf partitions (a ctid is only unique within one leaf).
-- $1 schema names (JSON array), $2 table names (JSON array)
select n.nspname as schema,
       c.relname as table,
       c.relkind as kind,
       (select jsonb_agg(a.attname order by a.attnum)
          from pg_attribute a
         where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
       (select coalesce(jsonb_agg(jsonb_build_object('schema', ln.nspname, 'table', lc.relname) order by lc.relname), '[]'::jsonb)
          from pg_partition_tree(c.oid) t
          join pg_class lc on lc.oid = t.relid
          join pg_namespace ln on ln.oid = lc.relnamespace
         where t.isleaf and c.relkind = 'p') as leaves
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p')
  and not c.relispartition
  and n.nspname in (select jsonb_array_elements_text($1::text::jsonb))
  and c.relname in (select jsonb_array_elements_text($2::text::jsonb))
