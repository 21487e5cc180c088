-- Applied versions per schema of one scope, and the ones whose file changed since.
-- $1 scope, $2 file versions, $3 file checksums (same order as $2).
with files as (
    select * from unnest($2::text[], $3::text[]) as f(version, checksum)
)
select m.schema_name,
       array_agg(m.version order by m.version)                                      as versions,
       coalesce(array_agg(m.version order by m.version)
                filter (where f.checksum is distinct from m.checksum), '{}')         as drifted
from tenantctl.schema_migrations m
left join files f using (version)
where m.scope = $1
group by m.schema_name
