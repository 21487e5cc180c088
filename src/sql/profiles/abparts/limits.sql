-- ABParts provisioning, step 1: the seed's platform-wide limits (002: "Maximum 100 customer
-- organizations", "200 total users", "150 warehouses across all organizations", all
-- "enforced by application"). Counted inside the provisioning transaction, which holds the
-- pooled target's lock, so two runs can never both see 99. The erased-organization
-- placeholder ($1) and its rows never count.
select (select count(*)::int from organizations where organization_type = 'customer' and id <> $1::uuid) as customers,
       (select count(*)::int from users where organization_id <> $1::uuid)                               as users,
       (select count(*)::int from warehouses where organization_id <> $1::uuid)                          as warehouses
