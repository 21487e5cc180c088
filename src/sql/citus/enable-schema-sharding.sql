-- Inside a provisioning transaction on a Citus coordinator: schemas created from here to
-- the end of the transaction become distributed schemas (one colocation group, one worker).
-- A no-op (null) where the extension is absent, so the caller need not branch.
select set_config('citus.enable_schema_based_sharding', 'on', true)
where exists (select 1 from pg_extension where extname = 'citus')
