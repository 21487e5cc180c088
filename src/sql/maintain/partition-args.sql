-- Hand the partition DDL its arguments as transaction-local settings: DDL takes no bind
-- parameters, so the DO blocks in create-partition.sql / split-default.sql read these and
-- quote them server-side with format(%I, %L).
-- $1 schema, $2 parent table, $3 new partition, $4 from (inclusive), $5 to (exclusive), $6 default partition ('' if none), $7 key column
select set_config('tenantctl.part_schema', $1, true),
       set_config('tenantctl.part_parent', $2, true),
       set_config('tenantctl.part_name', $3, true),
       set_config('tenantctl.part_from', $4, true),
       set_config('tenantctl.part_to', $5, true),
       set_config('tenantctl.part_default', $6, true),
       set_config('tenantctl.part_key', $7, true),
       set_config('tenantctl.part_moved', '0', true)
