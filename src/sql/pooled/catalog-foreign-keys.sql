-- Every foreign key between tables of one pooled schema, with its columns in key order,
-- what ON DELETE does, whether every child column is nullable, and whether an index leads
-- with exactly the child columns (without one, each parent delete scans the whole child).
-- Foreign keys cloned onto partitions are left out: the parent's key covers them.
-- $1 the pooled schema name
select con.conname                                        as constraint_name,
       c.relname                                          as table_name,
       (select array_agg(a.attname::text order by k.ord)
          from unnest(con.conkey) with ordinality as k(attnum, ord)
          join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as columns,
       p.relname                                          as parent_table,
       (select array_agg(a.attname::text order by k.ord)
          from unnest(con.confkey) with ordinality as k(attnum, ord)
          join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum) as parent_columns,
       case con.confdeltype when 'c' then 'cascade' when 'n' then 'set null' when 'd' then 'set default'
                            when 'r' then 'restrict' else 'no action' end as on_delete,
       (select bool_and(not a.attnotnull) from pg_attribute a
          where a.attrelid = con.conrelid and a.attnum = any (con.conkey)) as nullable,
       exists (select 1 from pg_index i
                where i.indrelid = con.conrelid
                  and (i.indkey::int2[])[0:cardinality(con.conkey) - 1] @> con.conkey
                  and (i.indkey::int2[])[0:cardinality(con.conkey) - 1] <@ con.conkey) as indexed
from pg_constraint con
join pg_class c on c.oid = con.conrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_class p on p.oid = con.confrelid
join pg_namespace pn on pn.oid = p.relnamespace
where con.contype = 'f'
  and n.nspname = $1
  and pn.nspname = $1
  and not c.relispartition
  and con.conparentid = 0
order by c.relname, con.conname
