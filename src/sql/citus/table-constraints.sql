-- Every ordinary or partitioned table of one schema with its primary key, unique and
-- foreign key constraints (columns by name) — what distributing by a column would touch.
-- Tables without constraints appear once with null constraint fields. $1 schema name.
select t.relname::text as table_name,
       c.conname::text as constraint_name,
       c.contype::text as kind,
       (select array_agg(a.attname::text order by k.i)
          from unnest(c.conkey) with ordinality k(n, i)
          join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n) as columns,
       case when c.contype = 'f' then c.confrelid::regclass::text end as references_table,
       (select array_agg(a.attname::text order by a.attnum) from pg_attribute a
         where a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped) as all_columns
from pg_class t
left join pg_constraint c on c.conrelid = t.oid and c.contype in ('p', 'u', 'f')
where t.relnamespace = $1::regnamespace and t.relkind in ('r', 'p') and not t.relispartition
order by t.relname, c.contype, c.conname
