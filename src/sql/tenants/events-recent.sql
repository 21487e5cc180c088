-- A tenant's latest status changes, newest first. $1 tenant id (text), $2 how many
select action, from_status, to_status, actor, reason, ticket, at
from tenantctl.tenant_events
where tenant_id = $1
order by at desc, id desc
limit $2
