-- Where every tenant schema stands, in one statement: the profile's registry joined with
-- pg_namespace (by its unique index on nspname) and tenantctl's bookkeeping. No per-schema round trip and no scan of pg_class or pg_attribute.
-- A tenant is *current* when its own schema exists, the registry row names exactly
-- $3 || handle, it has applied exactly the files here (every version, same checksum,
-- nothing else) and its last run did not fail. With $5 true, current tenants come back as
-- one count (kind 'current'), so a fleet with nothing to do costs one row, not one per tenant;
-- every other tenant (behind, ahead, failed, drifted, schema missing, a registry row naming
-- another schema) still comes back whole, so nothing wrong is ever summarized away.
-- $1 tenant file versions, $2 their checksums (same order), $3 the schema name prefix of the
-- naming rule (null: no tenant counts as current), $4 only these handles (null: every
-- tenant), $5 count current tenants instead of listing them
with files as (
    select * from unnest($1::text[], $2::text[]) as f(version, checksum)
), applied as (
    select m.schema_name,
           array_agg(m.version order by m.version)                                      as versions,
           coalesce(array_agg(m.version order by m.version)
                    filter (where f.checksum is distinct from m.checksum), '{}')         as drifted,
           count(f.version) filter (where f.checksum = m.checksum)                       as matching
    from tenantctl.schema_migrations m
    left join files f using (version)
    where m.scope = 'tenant'
    group by m.schema_name
), failed as (
    select schema_name, error, updated_at
    from tenantctl.schema_state
    where scope = 'tenant' and status = 'failed'
), fleet as (
    select t.{{registry.key}}::text     as id,
           t.{{registry.handle}}::text  as slug,
           t.{{registry.target}}::text  as schema_name,
           t.{{registry.status}}::text  as status,
           (n.oid is not null)          as schema_exists,
           coalesce(a.versions, '{}')   as versions,
           coalesce(a.drifted, '{}')    as drifted,
           x.error,
           x.updated_at                 as failed_at,
           (n.oid is not null
            and t.{{registry.target}} = $3::text || t.{{registry.handle}}
            and x.schema_name is null
            and coalesce(a.matching, 0) = cardinality($1::text[])
            and coalesce(cardinality(a.versions), 0) = cardinality($1::text[])) as current
    from {{registry}} t
    left join pg_namespace n on n.nspname = t.{{registry.target}}
    left join applied a on a.schema_name = t.{{registry.target}}
    left join failed x on x.schema_name = t.{{registry.target}}
    where $4::text[] is null or t.{{registry.handle}}::text = any($4::text[])
)
select 'tenant' as kind, id, slug, schema_name, status, schema_exists, versions, drifted, error, failed_at, 0 as current
from fleet
where not ($5::boolean and current)
union all
select 'current', null, null, null, null, null, null, null, null, null, count(*)::int
from fleet
where $5::boolean and current
order by kind desc, slug
