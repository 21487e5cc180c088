-- One status change of a tenant, in the caller's transaction.
-- $1 tenant id (text), $2 action, $3 status before, $4 status after, $5 actor, $6 reason, $7 ticket
insert into tenantctl.tenant_events (tenant_id, action, from_status, to_status, actor, reason, ticket)
values ($1, $2, $3, $4, $5, $6, $7)
