-- Which of a backup's organizations (by registry key) have been erased on request since it was
-- taken: the backup still holds their rows, and the other organizations' rows in it may still
-- name their people. (An organization erased before the backup is not in it.) The caller
-- checks that tenantctl.erasure_receipts exists first.
-- $1 the backup's organizations' keys, as text
select distinct r.tenant_id::text as id
from tenantctl.erasure_receipts r
where r.tenant_id::text = any($1::text[])
order by 1
