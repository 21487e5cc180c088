-- Erasure: tenantctl.backup_log is the tool's own history, and a restore-tenant entry names
-- the tenant (id, slug, schema). Keep the entry (what was done, when, with which backup) but
-- not who it was about: restore entries of this tenant lose slug/schema/id, and the id is
-- replaced wherever else it appears. $1 tenant id (a uuid: replacing it cannot break JSON).
with scrubbed as (
    update tenantctl.backup_log
    set summary = case
            when summary ->> 'tenantId' = $1
                then (summary - 'slug' - 'targetSlug' - 'schema' - 'tenantId') || jsonb_build_object('tenant', 'erased')
            else replace(summary::text, $1, 'erased-tenant')::jsonb
        end,
        faults = replace(faults::text, $1, 'erased-tenant')::jsonb
    where strpos(summary::text, $1) > 0 or strpos(faults::text, $1) > 0
    returning 1
)
select count(*)::int as rows from scrubbed
