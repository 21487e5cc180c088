-- The tenant's security settings row at the schema defaults, unless a migration already
-- seeded it. Runs scoped to the tenant.
with inserted as (
    insert into security_settings (id)
    select gen_random_uuid()
    where not exists (select 1 from security_settings)
    returning id
)
select (select count(*) from security_settings)::int + (select count(*) from inserted)::int as rows
