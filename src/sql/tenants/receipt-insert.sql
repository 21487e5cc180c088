-- $1 sequence, $2 tenant id, $3 slug sha256, $4 erased at, $5 actor, $6 ticket, $7 body, $8 digest, $9 previous digest
insert into tenantctl.erasure_receipts (sequence, tenant_id, slug_sha256, erased_at, actor, ticket, body, digest, previous_digest)
values ($1, $2::uuid, $3, $4, $5, $6, $7, $8, $9)
