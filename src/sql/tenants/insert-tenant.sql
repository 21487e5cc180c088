-- The tenant's row in the profile's registry; name, domain and
-- settings are that registry's own columns. $1 name, $2 slug, $3 schema, $4 domain, $5 settings
-- (json text), $6 id (chosen by the caller, who already holds the tenant's lock under it)
insert into {{registry}} ({{registry.key}}, name, {{registry.handle}}, {{registry.target}}, domain, settings)
values ($6::uuid, $1, $2, $3, $4, $5::text::jsonb)
returning {{registry.key}}::text as id, {{registry.status}}::text as status, created_at
