-- Set a tenant override of a feature. $1 tenant id, $2 feature code, $3 enabled, $4 reason
insert into public.tenant_features (tenant_id, feature_id, is_enabled, override_reason)
select $1::uuid, f.id, $3, $4 from public.features f where f.code = $2
on conflict (tenant_id, feature_id) do update
   set is_enabled = excluded.is_enabled, override_reason = excluded.override_reason, updated_at = now()
returning id::text as id
