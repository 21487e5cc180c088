-- One row in the platform audit trail for an import or export.
-- $1 tenant id, $2 action, $3 entity type, $4 counts (new_values), $5 metadata.
insert into public.audit_logs (tenant_id, action, entity_type, entity_id, new_values, metadata, user_agent)
values ($1::uuid, $2, $3, null, $4::text::jsonb, $5::text::jsonb, 'tenantctl')
returning id::text as id
