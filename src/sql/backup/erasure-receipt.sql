-- Was this tenant (by id, never by slug: a slug can be reused by a new tenant) erased on
-- request? $1 tenant id. The caller checks that tenantctl.erasure_receipts exists first.
select exists (select 1 from tenantctl.erasure_receipts where tenant_id = $1::uuid) as erased
