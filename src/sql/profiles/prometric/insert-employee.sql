-- Prometric provisioning, step 4: the owner's employment in the new organization, in its
-- main workspace (membership is what makes a shared person belong to a tenant).
-- $1 user id, $2 organization id, $3 workspace id
insert into employees (user_id, organization_id, workspace_id, position, hire_date, status)
values ($1::uuid, $2::uuid, $3::uuid, 'Owner', current_date, 'active')
returning id::text
