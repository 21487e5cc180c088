-- profile check (schema per tenant): each table name of the tenant schemas, with how many of
-- them hold it (a table missing from some schemas is drift: a failed or partial migration).
-- $1 the tenant schemas that exist (text[])
select c.relname::text as table_name, count(*)::int as schemas
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where n.nspname = any($1::text[])
  and c.relkind in ('r', 'p')
  and not c.relispartition
group by c.relname
order by c.relname
