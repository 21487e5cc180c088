-- The owner user of a new tenant. Runs scoped to the tenant (search_path set to its
-- schema), so the names are unqualified as in the tenant migrations. $1 email, $2 name.
insert into users (email, name, is_owner)
values ($1, $2, true)
returning id::text as id
