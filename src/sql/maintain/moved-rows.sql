-- How many rows split-default.sql moved out of the DEFAULT partition in this transaction.
select current_setting('tenantctl.part_moved')::bigint as moved
