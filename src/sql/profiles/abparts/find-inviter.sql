-- The super admin who invites a new organization's first admin (seed 002: "Super admins must
-- belong to Oraseas EE"; only a super_admin provisions). Named by username or e-mail, or
-- the longest-standing active one when $1 is null.
-- An e-mail is folded on both sides as the erasure folds e-mails (src/pooled/fold.ts), not by
-- the database's locale (tr-TR: lower('I') is 'ı').
-- $1 username or e-mail, or null
select u.id::text, u.username
from users u
join organizations o on o.id = u.organization_id
where u.role = 'super_admin' and o.organization_type = 'oraseas_ee' and u.is_active
  and ($1::text is null or u.username = $1 or lower(translate(u.email, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') {{fold.collate}}) = lower(translate($1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') {{fold.collate}}))
order by u.created_at, u.id
limit 1
