-- ABParts provisioning, step 2: the organization (the tenant registry row). `name` is
-- globally UNIQUE; supplier_must_have_parent checks a supplier's parent.
-- $1 name, $2 type (customer | supplier), $3 parent id or null, $4 address, $5 contact info
insert into organizations (name, organization_type, parent_organization_id, address, contact_info, is_active)
values ($1, $2::organization_type_enum, $3::uuid, $4, $5, true)
returning id::text, organization_type::text as type, is_active, created_at
