-- Remove a tenant override, so the plan decides again. $1 tenant id, $2 feature code
with d as (
    delete from public.tenant_features tf using public.features f
    where tf.feature_id = f.id and tf.tenant_id = $1::uuid and f.code = $2
    returning 1
)
select count(*)::int as removed from d
