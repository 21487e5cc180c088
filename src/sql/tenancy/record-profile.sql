-- Record the profile at the first `migrate up`; a later run never overwrites it (a
-- different profile is refused before this runs). $1 profile name
insert into tenantctl.profile (name) values ($1)
on conflict (singleton) do nothing
returning name
