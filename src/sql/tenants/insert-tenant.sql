-- The tenant's row in the shared registry. $1 name, $2 slug, $3 schema, $4 domain, $5 settings
-- (json text), $6 id (chosen by the caller, who already holds the tenant's lock under it)
insert into public.tenants (id, name, slug, schema_name, domain, settings)
values ($6::uuid, $1, $2, $3, $4, $5::text::jsonb)
returning id::text as id, status, created_at
