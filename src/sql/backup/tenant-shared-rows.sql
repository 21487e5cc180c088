-- One tenant's rows in the shared tables of a restored backup, as JSON text (text, so no
-- number passes through a JavaScript double); $1 tenant id.
select (select coalesce(json_agg(t), '[]')::text from public.tenants t where t.id = $1::uuid)                 as tenants,
       (select coalesce(json_agg(s), '[]')::text from public.subscriptions s where s.tenant_id = $1::uuid)    as subscriptions,
       (select coalesce(json_agg(f), '[]')::text from public.tenant_features f where f.tenant_id = $1::uuid)  as tenant_features,
       (select coalesce(json_agg(a), '[]')::text from public.audit_logs a where a.tenant_id = $1::uuid)       as audit_logs
