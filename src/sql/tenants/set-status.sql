-- Change a tenant's status; returns the status before. $1 tenant id, $2 new status
update public.tenants t
set status = $2, updated_at = now()
from (select id, status from public.tenants where id = $1::uuid for update) old
where t.id = old.id
returning old.status as previous, t.status as status, t.updated_at
