-- Insert a tenant's public.audit_logs rows from a backup; $1 rows (json array text), $2 the
-- tenant id they now belong to. A row keeps its id when that id is free, else gets a new
-- one (a copy restored with --as next to the original).
insert into public.audit_logs
select p.*
from jsonb_array_elements($1::text::jsonb) as r
cross join lateral jsonb_populate_record(null::public.audit_logs,
       r.value || jsonb_build_object(
           'tenant_id', $2::uuid,
           'id', case when exists (select 1 from public.audit_logs x where x.id = (r.value ->> 'id')::uuid)
                      then gen_random_uuid() else (r.value ->> 'id')::uuid end)) as p
