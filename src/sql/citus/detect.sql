-- Is this database a Citus coordinator? The extension's version and whether schema-based
-- sharding is on for this session (current_setting(..., true) is null when citus is not
-- loaded, so this runs on any PostgreSQL).
select e.extversion                                              as version,
       coalesce(current_setting('citus.enable_schema_based_sharding', true), 'off') = 'on' as schema_sharding
from pg_extension e
where e.extname = 'citus'
