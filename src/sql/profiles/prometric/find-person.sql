-- A person who already has an account: users.email is globally UNIQUE, so the same e-mail
-- is the same person (POOLED.md §3), who becomes an employee of one more organization.
-- The stored e-mail is folded as the erasure folds e-mails (src/pooled/fold.ts), not by the
-- database's locale: on a tr-TR database lower('Irina@…') is 'ırina@…', and a second account
-- was created for irina@….
-- $1 e-mail (lower-cased)
select id::text, organization_role, deleted_at is not null as deleted from users
where lower(translate(email, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') {{fold.collate}}) = $1
