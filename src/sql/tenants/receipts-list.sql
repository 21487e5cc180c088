-- Every receipt in chain order; $1 slug sha256 to pick one tenant's, or null for all.
select sequence::int as sequence, tenant_id::text as tenant_id, slug_sha256, erased_at, actor, ticket, body, digest, previous_digest
from tenantctl.erasure_receipts
where $1::text is null or slug_sha256 = $1
order by sequence
