-- The tenant's owners and user count. Runs scoped to the tenant.
select (select count(*) from users where deleted_at is null)::int as users,
       coalesce((select json_agg(json_build_object('email', email, 'name', name) order by created_at)
                 from users where is_owner and deleted_at is null), '[]') as owners
