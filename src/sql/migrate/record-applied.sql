-- Record an applied migration and mark the schema healthy at that version, in one round trip.
-- It also notes, in the transaction, the transaction id its rows were written under (as an
-- age, see batch-after.sql): in a batch of tenants (batch.ts) that is the tenant's savepoint's,
-- the oldest id of everything the tenant wrote (PostgreSQL gives a subtransaction an id before
-- any of its own subtransactions), and every id of the tenants after it is younger.
-- $1 schema, $2 scope, $3 version, $4 name, $5 checksum, $6 duration ms, or null: measured here,
-- from the moment lock-and-check.sql or batch-mark-start.sql noted (a batch sends this before the
-- migration has run)
with applied as (
    insert into tenantctl.schema_migrations (schema_name, scope, version, name, checksum, duration_ms)
    values ($1, $2, $3, $4, $5,
            coalesce($6::integer, round(extract(epoch from clock_timestamp() - current_setting('tenantctl.migration_started')::timestamptz) * 1000)::integer))
    returning xmin
), state as (
    insert into tenantctl.schema_state (schema_name, scope, status, version, error, updated_at)
    select $1, $2, 'ok', $3, null, now() from applied
    on conflict (schema_name) do update
       set status = 'ok', version = excluded.version, error = null, updated_at = now()
)
select set_config('tenantctl.batch_writers', concat_ws(',', nullif(current_setting('tenantctl.batch_writers', true), ''), age(a.xmin)), true) is not null as noted
from applied a
