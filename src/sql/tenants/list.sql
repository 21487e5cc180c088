-- One page of tenants (filtered, in slug order) with plan and schema version. Filters,
-- order, limit and offset all run in SQL before anything else, so the cost is the page's,
-- not the fleet's. The registry is the profile's. Sizes are a second query for the page's schemas (src/tenants/read.ts).
-- $1 status or null, $2 plan code or null, $3 text to find in slug or name or null,
-- $4 limit or null for all, $5 offset
with page as materialized (
    select t.{{registry.key}} as id, t.{{registry.handle}}::text as slug, t.name, t.{{registry.status}}::text as status,
           t.{{registry.target}}::text as schema_name, t.created_at, p.code as plan, s.status as subscription
    from {{registry}} t
    left join lateral (
        select s.plan_id, s.status from public.subscriptions s
        where s.tenant_id = t.{{registry.key}}
        order by (s.status in ('trial', 'active', 'past_due')) desc, s.created_at desc
        limit 1
    ) s on true
    left join public.plans p on p.id = s.plan_id
    where ($1::text is null or t.{{registry.status}} = $1)
      and ($2::text is null or p.code = $2)
      and ($3::text is null or strpos(lower(t.{{registry.handle}}), lower($3)) > 0 or strpos(lower(t.name), lower($3)) > 0)
    order by t.{{registry.handle}}
    limit $4 offset $5
)
select page.id::text as id,
       page.slug,
       page.schema_name,
       page.name,
       page.status,
       page.plan,
       page.subscription,
       v.version               as schema_version,
       (n.oid is not null)     as schema_exists,
       page.created_at
from page
left join pg_namespace n on n.nspname = page.schema_name
left join lateral (
    select m.version from tenantctl.schema_migrations m
    where m.schema_name = page.schema_name
    order by m.version::numeric desc
    limit 1
) v on true
order by page.slug
