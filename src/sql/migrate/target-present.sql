-- Once the schema's lock is held: are the tenant schema and its registry row still there? A
-- tenant erased while the migration waited for the lock (erasure holds it until its commit)
-- has neither. lock-and-check.sql cannot tell: its snapshot was taken before it waited; this
-- statement, sent after it, reads the catalog and the registry as they are now. pg_namespace
-- is read with the statement's snapshot, never through a cached name lookup that an advisory
-- lock does not refresh.
-- $1 schema
select exists (select 1 from pg_catalog.pg_namespace n where n.nspname = $1::text) as schema,
       exists (select 1 from {{registry}} where {{registry.target}} = $1::text) as registered
