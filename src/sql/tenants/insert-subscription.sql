-- A new subscription on a plan: a trial of $3 days, or active at once when $3 is 0.
-- $1 tenant id, $2 plan id, $3 trial days, $4 trial_ends_at to keep (timestamptz or null:
-- a plan change during a trial keeps the trial's end)
insert into public.subscriptions (tenant_id, plan_id, status, trial_ends_at, current_period_start, current_period_end, payment_provider)
select $1::uuid, $2::uuid,
       case when trial_end is not null then 'trial' else 'active' end,
       trial_end,
       now(),
       coalesce(trial_end, now() + interval '1 month'),
       'manual'
from (select coalesce($4::timestamptz,
                      case when $3::int > 0 then now() + make_interval(days => $3::int) end) as trial_end) t
returning id::text as id, status, trial_ends_at, current_period_end
