-- Register a spare schema just built (same transaction as its migrations), with the default
-- privileges its tables are built under. $1 schema name
insert into tenantctl.tenant_pool (schema_name, built_under) select $1, v.privileges from tenantctl.default_privileges_now v
