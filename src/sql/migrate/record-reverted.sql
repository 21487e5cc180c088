delete from tenantctl.schema_migrations where schema_name = $1 and version = $2
