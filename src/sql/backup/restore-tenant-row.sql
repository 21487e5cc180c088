-- Insert a tenant row from a backup under its new slug and schema; $1 the row (json text),
-- $2 slug, $3 schema name. It keeps its id when that id is free, else gets a new one.
insert into public.tenants
select p.*
from jsonb_populate_record(null::public.tenants,
       $1::text::jsonb || jsonb_build_object(
           'slug', $2::text,
           'schema_name', $3::text,
           'id', case when exists (select 1 from public.tenants t where t.id = ($1::text::jsonb ->> 'id')::uuid)
                      then gen_random_uuid() else ($1::text::jsonb ->> 'id')::uuid end)) as p
returning id::text as id
