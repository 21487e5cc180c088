-- Erasure: a tenant's status history goes with it (a reason may name people). $1 tenant id
with d as (delete from tenantctl.tenant_events where tenant_id = $1 returning 1)
select count(*)::int as rows from d
