-- Do schemas created in this transaction become distributed schemas? (citus.enable_schema_based_sharding,
-- set by citus/enable-schema-sharding.) False on plain PostgreSQL, where the setting is unknown.
select coalesce(current_setting('citus.enable_schema_based_sharding', true) = 'on', false) as distributed
