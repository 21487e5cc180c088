-- Every tenant's schema name (so that catalog scans can tell tenant schemas from shared ones),
-- from the profile's registry.
select coalesce(array_agg({{registry.target}}::text), '{}') as schemas from {{registry}}
