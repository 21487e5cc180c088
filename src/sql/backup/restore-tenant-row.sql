-- Insert a tenant's registry row (the profile's registry) from a backup under its new handle
-- and schema; $1 the row (json text), $2 handle, $3 schema name, and the registry's column
-- names as JSON keys: $4 handle, $5 schema column, $6 key. It keeps its key when that key
-- is free, else gets a new uuid.
insert into {{registry}}
select p.*
from jsonb_populate_record(null::{{registry}},
       $1::text::jsonb || jsonb_build_object(
           $4::text, $2::text,
           $5::text, $3::text,
           $6::text, case when exists (select 1 from {{registry}} t where t.{{registry.key}}::text = $1::text::jsonb ->> $6::text)
                          then gen_random_uuid()::text else $1::text::jsonb ->> $6::text end)) as p
returning {{registry.key}}::text as id
