-- Every version of one scope applied anywhere in the fleet (a handful of distinct values).
-- $1 scope
select coalesce(array_agg(distinct version), '{}') as versions
from tenantctl.schema_migrations
where scope = $1
