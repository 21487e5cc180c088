-- Inside an erasure: take the schema's migration lock (so `migrate` and `tenant create`
-- wait for us), and lock the tenant's registry row (the profile's registry); no row means someone erased it meanwhile.
-- $1 lock name, $2 tenant id
select pg_advisory_xact_lock(hashtextextended($1, 0)) is not null as locked,
       (select {{registry.key}}::text from {{registry}} where {{registry.key}} = $2::uuid for update) as id
