-- A new tenant's registry row and its first subscription, on an active plan given by code, in
-- one statement: a CLI create pays every statement's round trips on a fresh connection, and
-- these three were three statements (issue 19 item 5). When the plan is unknown or inactive
-- nothing is inserted and plan_id is null (the caller refuses, naming the known codes).
-- Name, domain and settings are the registry's own columns; the subscription is the one
-- insert-subscription.sql makes: a trial of $8 days, or active at once when $8 is 0.
-- $1 name, $2 slug, $3 schema, $4 domain, $5 settings (json text), $6 id (chosen by the
-- caller, who already holds the tenant's lock under it), $7 plan code, $8 trial days
with plan as (
    select id from public.plans where code = $7 and is_active
), tenant as (
    insert into {{registry}} ({{registry.key}}, name, {{registry.handle}}, {{registry.target}}, domain, settings)
    select $6::uuid, $1, $2, $3, $4, $5::text::jsonb
    from plan
    returning {{registry.key}} as id, {{registry.status}}::text as status, created_at
), subscription as (
    insert into public.subscriptions (tenant_id, plan_id, status, trial_ends_at, current_period_start, current_period_end, payment_provider)
    select tenant.id, plan.id,
           case when trial_end is not null then 'trial' else 'active' end,
           trial_end,
           now(),
           coalesce(trial_end, now() + interval '1 month'),
           'manual'
    from tenant, plan,
         (select case when $8::int > 0 then now() + make_interval(days => $8::int) end as trial_end) t
    returning id::text as id, status, trial_ends_at, current_period_end
)
select (select id::text from plan) as plan_id,
       array(select code::text from public.plans where is_active order by sort_order, code) as known,
       tenant.id::text as id, tenant.status, tenant.created_at,
       subscription.id as subscription_id, subscription.status as subscription_status,
       subscription.trial_ends_at, subscription.current_period_end
from (select 1) one
left join tenant on true
left join subscription on true
