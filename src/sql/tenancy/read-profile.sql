-- The profile recorded for this database, if any. The table may not exist yet (a database
-- tenantctl never migrated, or one migrated before profiles existed = commerce): the
-- caller checks to_regclass first.
select name, recorded_at from tenantctl.profile
