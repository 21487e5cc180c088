-- An existing organization named by id or by name (the parent of a new supplier or customer).
-- $1 id or name
select id::text, name, organization_type::text as type, is_active
from organizations
where name = $1 or id::text = lower($1)
