-- After a restore-tenant: the newest version any OTHER tenant schema stands at (null when
-- there is none), to tell when the restored tenant came back ahead of the fleet (a migrate
-- down since the backup): migrate up and tenant create refuse a database ahead of their files.
-- $1 the restored tenant's schema
select max(version) as newest
from tenantctl.schema_migrations
where scope = 'tenant' and schema_name <> $1::text
