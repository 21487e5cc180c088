-- Every sequence with its type's limits and, when a column owns it (serial / identity),
-- that column's type: a bigint sequence feeding an integer column runs out at 2^31-1.
-- Catalog only; the current values are read in batches by sequence-values.sql.
-- $1 schemas (empty = all but system schemas and the warm pool's spares, which are no tenant's).
select s.seqrelid::bigint                                   as oid,
       n.nspname                                            as schema,
       c.relname                                            as sequence,
       format_type(s.seqtypid, null)                        as data_type,
       s.seqmin::text                                       as min_value,
       s.seqmax::text                                       as max_value,
       s.seqincrement::text                                 as increment,
       s.seqcycle                                           as cycles,
       t.relname                                            as owned_by_table,
       a.attname                                            as owned_by_column,
       case a.atttypid when 'int2'::regtype then '32767' when 'int4'::regtype then '2147483647' end as column_max,
       case a.atttypid when 'int2'::regtype then '-32768' when 'int4'::regtype then '-2147483648' end as column_min,
       format_type(a.atttypid, null)                        as column_type
from pg_sequence s
join pg_class c on c.oid = s.seqrelid
join pg_namespace n on n.oid = c.relnamespace
left join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = s.seqrelid
      and d.refclassid = 'pg_class'::regclass and d.refobjsubid > 0 and d.deptype in ('a', 'i')
left join pg_class t on t.oid = d.refobjid
left join pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
where n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_)'
  and (cardinality($1::text[]) = 0 and n.nspname !~ '^tenantctl_pool_[0-9]+$' or n.nspname = any($1::text[]))
order by schema, sequence
