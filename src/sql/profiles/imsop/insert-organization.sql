-- IMSOP provisioning, step 1: the organization (the tenant registry row). `name` is
-- globally UNIQUE (organizations_name_key): a taken name fails here, before anything else.
-- $1 name, $2 subscription tier, $3 time zone
insert into organizations (name, status, subscription_tier, timezone)
values ($1, 'active', $2::organizations_subscription_tier_enum, $3)
returning id::text, status::text, subscription_tier::text as tier, created_at
