-- Insert a tenant's rows of a registry companion table (the profile's, commerce: subscriptions,
-- tenant_features, audit_logs) from a backup; $1 rows (json array text), $2 the tenant id they
-- now belong to, and the column names as JSON keys: $3 the tenant column, $4 the row's key.
-- A row keeps its key when that key is free, else gets a new uuid (a copy restored with
-- --as next to the original).
insert into {{companion}}
select p.*
from jsonb_array_elements($1::text::jsonb) as r
cross join lateral jsonb_populate_record(null::{{companion}},
       r.value || jsonb_build_object(
           $3::text, $2::text,
           $4::text, case when exists (select 1 from {{companion}} x where x.{{companion.key}}::text = r.value ->> $4::text)
                          then gen_random_uuid()::text else r.value ->> $4::text end)) as p
