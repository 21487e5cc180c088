-- A tenant without any user still gets its exports logged: under an inactive system
-- user that cannot sign in (no password, is_active false). Needs the tenant schema on
-- the search_path.
insert into users (email, name, is_active, settings)
values ('tenantctl@system.invalid', 'tenantctl (system: CLI exports)', false, '{"system": true}')
on conflict (email) do update set email = excluded.email
returning id::text as id
