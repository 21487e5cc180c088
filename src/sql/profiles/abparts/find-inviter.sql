-- The super admin who invites a new organization's first admin (seed 002: "Super admins must
-- belong to Oraseas EE"; only a super_admin provisions). Named by username or e-mail, or
-- the longest-standing active one when $1 is null.
-- $1 username or e-mail, or null
select u.id::text, u.username
from users u
join organizations o on o.id = u.organization_id
where u.role = 'super_admin' and o.organization_type = 'oraseas_ee' and u.is_active
  and ($1::text is null or u.username = $1 or u.email = lower($1))
order by u.created_at, u.id
limit 1
