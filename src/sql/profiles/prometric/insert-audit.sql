-- Prometric provisioning, step 5: the audit trail's CREATE row for the organization. It
-- goes into the current month's partition of audit_logs; without one the insert fails
-- ("no partition of relation"), which tenantctl turns into a hint to run maintain.
-- $1 organization id, $2 workspace id, $3 user id
insert into audit_logs (organization_id, workspace_id, entity_type, entity_id, action, user_id, source, reason)
values ($1::uuid, $2::uuid, 'organization', $1::uuid, 'CREATE', $3::uuid, 'system', 'provisioned by tenantctl tenant create')
returning id::text
