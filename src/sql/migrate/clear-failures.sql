-- Tenants at the latest version of the files whose last run failed on a migration that is no
-- longer pending (its file was removed, or it was applied by other means): the failure is
-- history, not their state. `migrate up` finds them with nothing to do and clears it.
-- $1 the schemas
update tenantctl.schema_state
   set status = 'ok', error = null, updated_at = now()
 where schema_name = any($1::text[]) and scope = 'tenant' and status = 'failed'
