-- Register a spare schema just built (same transaction as its migrations). $1 schema name
insert into tenantctl.tenant_pool (schema_name) values ($1)
