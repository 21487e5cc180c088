-- ABParts provisioning: does a user already hold this e-mail or username? Both are unique
-- across all organizations (seed 002: users.email and users.username UNIQUE), and a user
-- belongs to exactly one organization, so an existing account cannot become another
-- organization's admin. Checked before anything is written, to name the clash and the way out.
-- The stored e-mail is folded as the erasure folds e-mails (src/pooled/fold.ts), not by the
-- database's locale (tr-TR: lower('I') is 'ı').
-- $1 e-mail (lower-cased), $2 username
select u.email_folded = $1 as email_taken, u.username = $2 as username_taken, o.name as organization
from (select organization_id, username, lower(translate(email, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') {{fold.collate}}) as email_folded from users) u
join organizations o on o.id = u.organization_id
where u.email_folded = $1 or u.username = $2
order by (u.email_folded = $1) desc
limit 1
