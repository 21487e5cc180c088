-- A workspace of an organization (the second isolation level): `Main` (type main) at
-- provisioning, more with `tenant workspace add`.
-- $1 organization id, $2 name, $3 type (main | division | project | branch), $4 creating user or null
insert into workspaces (organization_id, name, type, status, created_by)
values ($1::uuid, $2, $3, 'active', $4::uuid)
returning id::text, name, type, status, created_at
