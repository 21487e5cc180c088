-- Failed schemas with their last error; $1 scope.
select schema_name, status, version, error, updated_at
from tenantctl.schema_state
where scope = $1 and status = 'failed'
