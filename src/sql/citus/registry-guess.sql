-- The likely tenant table of a pooled schema: the table most single-column foreign keys in
-- the schema point at, preferring the usual names. $1 schema name.
select r.relname::text as table_name
from pg_constraint c
join pg_class r on r.oid = c.confrelid
where c.contype = 'f' and r.relnamespace = $1::regnamespace and cardinality(c.conkey) = 1
group by r.relname
order by (r.relname in ('tenants', 'organizations', 'organisations', 'companies', 'accounts')) desc, count(*) desc, r.relname
limit 1
