-- Give a user the tenant's system owner role, in two plain statements' worth of work:
-- the role's id is read first by the caller, because Citus (13.2) deparses an
-- INSERT … SELECT into a distributed-schema table with a broken filter ("( IS NOT NULL)").
-- $1 user id, $2 role id.
insert into user_roles (user_id, role_id)
values ($1::uuid, $2::uuid)
