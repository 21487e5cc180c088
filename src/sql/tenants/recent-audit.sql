-- The latest audit entries about a tenant. $1 tenant id, $2 how many
select action, created_at, old_values, new_values, metadata
from public.audit_logs
where tenant_id = $1::uuid
order by created_at desc
limit $2
