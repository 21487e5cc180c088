-- One entry in the platform audit trail about a tenant.
-- $1 tenant id, $2 action, $3 old values (json text or null), $4 new values (json text or null),
-- (typed text first: postgres.js would JSON-encode a string sent as a jsonb parameter again)
-- $5 metadata (json text: actor, reason, tool)
insert into public.audit_logs (tenant_id, action, entity_type, entity_id, old_values, new_values, metadata)
values ($1::uuid, $2, 'tenant', $1, $3::text::jsonb, $4::text::jsonb, $5::text::jsonb)
returning id::text as id, created_at
