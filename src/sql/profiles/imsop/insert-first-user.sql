-- IMSOP provisioning, step 3: the organization's first user, holding the given role.
-- password_hash is NOT NULL in the seed; tenantctl never sees a password, so it stores
-- '!' — a value no hash function produces, i.e. a locked account — and the person sets a
-- password through the application's reset flow.
-- $1 organization id, $2 e-mail (already lower-cased), $3 first name, $4 last name, $5 role id
with person as (
    insert into users (organization_id, email, password_hash, first_name, last_name, status)
    values ($1::uuid, $2, '!', $3, $4, 'active')
    returning id
), link as (
    insert into user_roles (user_id, role_id)
    select person.id, $5::uuid from person
    returning 1
)
select (select id::text from person) as id, (select count(*)::int from link) as roles
