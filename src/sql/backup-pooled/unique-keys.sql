-- Every primary key and unique constraint or index of the tables of one pooled schema that a
-- restored row could collide with: plain columns only (an expression or partial index is
-- left out: its rows cannot be matched column by column), partitioned tables by their parent.
-- $1 the pooled schema name
select c.relname                                            as table_name,
       i.relname                                            as index_name,
       x.indisprimary                                       as is_primary,
       array_agg(a.attname::text order by k.ord)            as columns
from pg_index x
join pg_class c on c.oid = x.indrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_class i on i.oid = x.indexrelid
cross join lateral unnest(x.indkey::int2[]) with ordinality as k(attnum, ord)
join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
where n.nspname = $1
  and c.relkind in ('r', 'p')
  and not c.relispartition
  and x.indisunique
  and x.indpred is null
  and x.indexprs is null
  and k.ord <= x.indnkeyatts
group by c.relname, i.relname, x.indisprimary
order by c.relname, i.relname
