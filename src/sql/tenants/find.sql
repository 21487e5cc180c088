-- One tenant by id (resolved by resolveTenants first) from the profile's registry,
-- with its current subscription and plan. $1 id
select t.{{registry.key}}::text     as id,
       t.{{registry.handle}}::text  as slug,
       t.name,
       t.{{registry.target}}::text  as schema_name,
       t.{{registry.status}}::text  as status,
       t.domain,
       t.settings,
       t.created_at,
       t.updated_at,
       s.id::text          as subscription_id,
       s.status            as subscription_status,
       s.trial_ends_at,
       s.current_period_start,
       s.current_period_end,
       p.id::text          as plan_id,
       p.code              as plan,
       p.name              as plan_name
from {{registry}} t
left join lateral (
    -- the live subscription first; otherwise the most recent one
    select * from public.subscriptions s
    where s.tenant_id = t.{{registry.key}}
    order by (s.status in ('trial', 'active', 'past_due')) desc, s.created_at desc
    limit 1
) s on true
left join public.plans p on p.id = s.plan_id
where t.{{registry.key}} = $1::uuid
