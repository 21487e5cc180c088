-- IMSOP provisioning, step 2: one system role of the new organization, granted the
-- permissions named (or every permission of the global catalogue when $4 is null).
-- Permissions are rows of migrations (0003_permission_catalogue), never created here.
-- $1 organization id, $2 role name, $3 description, $4 permission names or null (= all)
with role as (
    insert into roles (organization_id, name, description, is_system)
    values ($1::uuid, $2, $3, true)
    returning id
), granted as (
    insert into role_permissions (role_id, permission_id)
    select role.id, p.id
    from role, permissions p
    where $4::text[] is null or p.name = any($4::text[])
    returning 1
)
select (select id::text from role) as id, (select count(*)::int from granted) as permissions
