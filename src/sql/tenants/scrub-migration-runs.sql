-- Erasure: tenantctl.migration_runs keeps each run's plan with the flags that chose its schemas,
-- among them the tenants named on the command line (--tenant, by handle or id), and what a down
-- run destroyed, schema by schema. Keep the run (what was done, when, how it ended), not who it
-- was about: the tenant leaves the selection, and its own schema's entries leave `destroyed`.
-- $1 the tenant's handle, $2 its id, $3 its own schema (null for a pooled tenant: the shared
-- schema is every tenant's, its entries stay)
with scrubbed as (
    update tenantctl.migration_runs r
    set plan = case when jsonb_typeof(r.plan #> '{selection,tenants}') = 'array'
                    then jsonb_set(r.plan, '{selection,tenants}',
                                   coalesce((select jsonb_agg(e order by o)
                                             from jsonb_array_elements(r.plan #> '{selection,tenants}') with ordinality as t(e, o)
                                             where lower(e #>> '{}') not in (lower($1), lower($2))), '[]'::jsonb))
                    else r.plan end,
        destroyed = case when $3::text is not null
                         then coalesce((select jsonb_agg(d order by o)
                                        from jsonb_array_elements(r.destroyed) with ordinality as t(d, o)
                                        where d ->> 'schema' is distinct from $3), '[]'::jsonb)
                         else r.destroyed end
    where exists (select 1 from jsonb_array_elements(case when jsonb_typeof(r.plan #> '{selection,tenants}') = 'array' then r.plan #> '{selection,tenants}' else '[]'::jsonb end) e
                  where lower(e #>> '{}') in (lower($1), lower($2)))
       or ($3::text is not null and exists (select 1 from jsonb_array_elements(r.destroyed) d where d ->> 'schema' = $3))
    returning 1
)
select count(*)::int as rows from scrubbed
