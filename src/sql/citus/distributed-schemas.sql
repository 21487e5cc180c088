-- The schemas that are already distributed schemas.
select s.schemaid::regnamespace::text as schema_name
from pg_dist_schema s
