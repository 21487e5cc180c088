-- Where the shared target stands (commerce: public; a pooled profile: its one schema): its
-- applied versions, the ones whose file changed since, and its last failure, by primary key.
-- $1 the shared schema, $2 shared file versions, $3 their checksums (same order as $2)
with files as (
    select * from unnest($2::text[], $3::text[]) as f(version, checksum)
)
select coalesce((select array_agg(m.version order by m.version)
                 from tenantctl.schema_migrations m
                 where m.schema_name = $1 and m.scope = 'shared'), '{}')                 as versions,
       coalesce((select array_agg(m.version order by m.version)
                 from tenantctl.schema_migrations m
                 left join files f using (version)
                 where m.schema_name = $1 and m.scope = 'shared'
                   and f.checksum is distinct from m.checksum), '{}')                     as drifted,
       s.error,
       s.updated_at                                                                       as failed_at
from (select 1) one
left join tenantctl.schema_state s on s.schema_name = $1 and s.scope = 'shared' and s.status = 'failed'
