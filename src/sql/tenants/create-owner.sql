-- The owner user with the system owner role. Runs scoped to the tenant (search_path set
-- to its schema), so the names are unqualified as in the tenant migrations.
-- $1 email, $2 name
with owner as (
    insert into users (email, name, is_owner)
    values ($1, $2, true)
    returning id
), granted as (
    insert into user_roles (user_id, role_id)
    select owner.id, roles.id
    from owner
    join roles on roles.code = 'owner' and roles.is_system
    returning role_id
)
select owner.id::text as id, (select count(*) from granted)::int as roles
from owner
