-- Every tenant with its schema and whether that schema exists. The registry (the profile's)
-- may not exist yet (fresh database), so the caller checks to_regclass first.
-- $1 only tenants whose schema is one of these (null = every tenant).
select t.{{registry.key}}::text     as id,
       t.{{registry.handle}}::text  as slug,
       t.{{registry.target}}::text  as schema_name,
       t.{{registry.status}}::text  as status,
       (n.oid is not null)          as schema_exists
from {{registry}} t
left join pg_namespace n on n.nspname = t.{{registry.target}}
where $1::text[] is null or t.{{registry.target}} = any($1::text[])
order by t.{{registry.handle}}
