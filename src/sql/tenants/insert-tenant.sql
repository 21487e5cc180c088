-- The tenant's row in the shared registry. $1 name, $2 slug, $3 schema, $4 domain, $5 settings (json text)
insert into public.tenants (name, slug, schema_name, domain, settings)
values ($1, $2, $3, $4, $5::text::jsonb)
returning id::text as id, status, created_at
