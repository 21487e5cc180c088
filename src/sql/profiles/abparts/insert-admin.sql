-- ABParts provisioning, step 3: the organization's first admin (seed 002: "each organization
-- must have at least one admin user"), invited rather than given a password: status
-- pending_invitation, a random invitation token valid for 7 days, invited by the super
-- admin, and the 'invited' row of invitation_audit_logs. password_hash is NOT NULL; '!' is
-- no hash any scheme produces (a locked password) until the invitation is accepted.
-- $1 organization id, $2 username, $3 e-mail (lower-cased), $4 name, $5 inviter id, $6 organization name
with person as (
    insert into users (organization_id, username, password_hash, email, name, role, user_status,
                       invitation_token, invitation_expires_at, invited_by_user_id, is_active)
    values ($1::uuid, $2, '!', $3, $4, 'admin', 'pending_invitation',
            replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), now() + interval '7 days', $5::uuid, true)
    returning id, invitation_expires_at
), audit as (
    insert into invitation_audit_logs (user_id, action, performed_by_user_id, details)
    select person.id, 'invited', $5::uuid, 'first admin of ' || $6 || ', invited by tenantctl tenant create' from person
    returning 1
)
select (select id::text from person) as id, (select invitation_expires_at from person) as expires_at, (select count(*)::int from audit) as audited
