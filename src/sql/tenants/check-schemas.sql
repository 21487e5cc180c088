-- profile check (schema per tenant): every schema that is not PostgreSQL's own, with how
-- many tables it holds; the caller tells tenant schemas (named by a registry row), orphan
-- tenant schemas (named like one, in no registry row), the warm pool and shared schemas apart.
select n.nspname::text as schema_name,
       (select count(*)::int from pg_class c where c.relnamespace = n.oid and c.relkind in ('r', 'p') and not c.relispartition) as tables
from pg_namespace n
where n.nspname not like 'pg\_%'
  and n.nspname <> 'information_schema'
order by n.nspname
