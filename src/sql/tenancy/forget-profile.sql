-- Undo the record a first `migrate up` made (record-profile.sql) when the database holds no
-- applied migration at all: the run applied nothing, and the database must stay open to any
-- profile. One statement, so a migration another run committed meanwhile keeps the record.
-- $1 profile name
delete from tenantctl.profile p
where p.name = $1
  and not exists (select 1 from tenantctl.schema_migrations)
returning p.name
