-- Close a subscription when its tenant moves to another plan. $1 subscription id
update public.subscriptions
set status = 'cancelled', cancelled_at = now(), current_period_end = least(current_period_end, now()), updated_at = now()
where id = $1::uuid
