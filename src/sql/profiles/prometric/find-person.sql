-- A person who already has an account: users.email is globally UNIQUE, so the same e-mail
-- is the same person (POOLED.md §3), who becomes an employee of one more organization.
-- $1 e-mail (lower-cased)
select id::text, organization_role, deleted_at is not null as deleted from users where lower(email) = $1
