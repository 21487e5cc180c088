-- Record a restored schema's applied migrations under its (new) name; $1 rows (json array
-- text), $2 schema name. Rows already there (a stale record of a dropped schema) are kept.
insert into tenantctl.schema_migrations
select p.*
from jsonb_array_elements($1::text::jsonb) as r
cross join lateral jsonb_populate_record(null::tenantctl.schema_migrations, r.value || jsonb_build_object('schema_name', $2::text)) as p
on conflict (schema_name, version) do nothing
