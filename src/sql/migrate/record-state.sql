-- $1 schema, $2 scope, $3 status, $4 version reached, $5 error as JSON text (typed text so it is not re-encoded), or null
insert into tenantctl.schema_state (schema_name, scope, status, version, error, updated_at)
values ($1, $2, $3, $4, $5::text::jsonb, now())
on conflict (schema_name) do update
   set status = excluded.status, version = excluded.version, error = excluded.error, updated_at = now()
