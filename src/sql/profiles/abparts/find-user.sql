-- ABParts provisioning: does a user already hold this e-mail or username? Both are unique
-- across all organizations (seed 002: users.email and users.username UNIQUE), and a user
-- belongs to exactly one organization, so an existing account cannot become another
-- organization's admin. Checked before anything is written, to name the clash and the way out.
-- $1 e-mail (lower-cased), $2 username
select lower(u.email) = $1 as email_taken, u.username = $2 as username_taken, o.name as organization
from users u
join organizations o on o.id = u.organization_id
where lower(u.email) = $1 or u.username = $2
order by (lower(u.email) = $1) desc
limit 1
