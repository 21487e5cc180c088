-- Every active feature for a tenant: the plan's value, the tenant override, the result,
-- and where the result comes from. $1 tenant id, $2 plan id (or null)
select f.code,
       f.name,
       f.category,
       pf.is_enabled                                   as plan_enabled,
       tf.is_enabled                                   as override_enabled,
       tf.override_reason,
       coalesce(tf.is_enabled, pf.is_enabled, false)   as enabled,
       case when tf.id is not null then 'tenant override'
            when pf.id is not null then 'plan'
            else 'not in plan' end                     as source
from public.features f
left join public.plan_features pf on pf.feature_id = f.id and pf.plan_id = $2::uuid
left join public.tenant_features tf on tf.feature_id = f.id and tf.tenant_id = $1::uuid
where f.is_active
order by f.category, f.code
