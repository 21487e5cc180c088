-- Every tenant of the profile's registry with its schema and applied migrations (from
-- tenantctl.schema_migrations). The caller checks that both tables exist first.
select t.{{registry.key}}::text as id,
       t.{{registry.handle}}::text as slug,
       t.{{registry.target}}::text as schema,
       t.{{registry.status}}::text as status,
       coalesce(array_agg(m.version order by m.version) filter (where m.version is not null), '{}') as applied
from {{registry}} t
left join tenantctl.schema_migrations m on m.schema_name = t.{{registry.target}}
group by 1, 2, 3, 4
order by 2
