-- The primary key column of each table of one pooled schema that the database fills itself
-- (a default such as gen_random_uuid() or nextval, or an identity column): what
-- `restore-tenant --as` gives new values, so a copy can sit next to its original. A
-- composite key counts when exactly one of its columns is filled so (Prometric audit_logs:
-- id plus the partition key timestamp). A date/time default (audit_logs.timestamp DEFAULT
-- CURRENT_TIMESTAMP) does not count: it says when, not which row, and the restored row keeps
-- its time.
-- sequence: the sequence behind a serial or identity column (nextval gives the new key),
-- else null and the column's default is used.
-- $1 the pooled schema name
select c.relname                                                                  as table_name,
       min(a.attname::text)                                                       as column_name,
       min(pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname)) as sequence
from pg_index x
join pg_class c on c.oid = x.indrelid
join pg_namespace n on n.oid = c.relnamespace
cross join lateral unnest(x.indkey::int2[]) with ordinality as k(attnum, ord)
join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
join pg_type t on t.oid = a.atttypid
where n.nspname = $1
  and c.relkind in ('r', 'p')
  and not c.relispartition
  and x.indisprimary
  and (a.attidentity <> '' or (a.atthasdef and t.typcategory <> 'D'))
group by c.relname
having count(*) = 1
order by c.relname
