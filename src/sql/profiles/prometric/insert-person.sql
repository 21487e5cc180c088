-- Prometric provisioning, step 2 (new person): the owner's account. password_hash is NOT
-- NULL; '!' is no hash any scheme produces, so the account has no password until the person
-- completes registration (status pending, registration email_pending).
-- $1 e-mail (lower-cased), $2 first name, $3 last name
insert into users (email, password_hash, first_name, last_name, organization_role, status, registration_status)
values ($1, '!', $2, $3, 'owner', 'pending', 'email_pending')
returning id::text
