-- The tenant's registry row itself (the profile's registry), last. $1 tenant id
with d as (delete from {{registry}} where {{registry.key}} = $1::uuid returning 1)
select count(*)::int as rows from d
