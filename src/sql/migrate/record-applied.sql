insert into tenantctl.schema_migrations (schema_name, scope, version, name, checksum, duration_ms)
values ($1, $2, $3, $4, $5, $6)
