-- Inside an erasure: take the schema's migration lock (so `migrate` and `tenant create`
-- wait for us), and lock the tenant's row; no row means someone erased it meanwhile.
-- $1 lock name, $2 tenant id
select pg_advisory_xact_lock(hashtextextended($1, 0)) is not null as locked,
       (select id::text from public.tenants where id = $2::uuid for update) as id
