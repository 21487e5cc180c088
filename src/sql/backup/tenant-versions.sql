-- Every tenant with its schema and applied migrations (from tenantctl.schema_migrations).
-- The caller checks that both tables exist first.
select t.id::text as id,
       t.slug,
       t.schema_name as schema,
       t.status,
       coalesce(array_agg(m.version order by m.version) filter (where m.version is not null), '{}') as applied
from public.tenants t
left join tenantctl.schema_migrations m on m.schema_name = t.schema_name
group by t.id, t.slug, t.schema_name, t.status
order by t.slug
