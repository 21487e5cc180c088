-- The id of the tenant's system owner role (seeded by the tenant migrations), if any.
select id::text as id from roles where code = 'owner' and is_system
