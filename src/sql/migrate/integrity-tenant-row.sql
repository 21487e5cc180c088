-- Is the registry row (the profile's registry) of the schema being
-- migrated still there? $1 schema
select exists (select 1 from {{registry}} where {{registry.target}} = $1) as present
