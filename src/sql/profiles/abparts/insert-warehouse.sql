-- ABParts provisioning, optional step 4: a default warehouse (`--warehouse NAME`).
-- $1 organization id, $2 name
insert into warehouses (organization_id, name, is_active) values ($1::uuid, $2, true)
returning id::text
