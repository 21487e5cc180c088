-- Does an erasure receipt exist for this slug? $1 sha256 hex of the slug. The caller checks
-- that tenantctl.erasure_receipts exists first.
select exists (select 1 from tenantctl.erasure_receipts where slug_sha256 = $1) as erased
