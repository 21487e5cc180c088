-- A schema's applied migrations in a restored backup, as JSON text; $1 schema name.
select coalesce(json_agg(m), '[]')::text as rows from tenantctl.schema_migrations m where m.schema_name = $1
