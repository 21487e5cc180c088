-- Create one month's partition (arguments from partition-args.sql). With a DEFAULT partition
-- present, PostgreSQL checks that it holds no row of this month; split-default.sql is the
-- path for months that it does.
DO $$
BEGIN
    EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
                   current_setting('tenantctl.part_schema'), current_setting('tenantctl.part_name'),
                   current_setting('tenantctl.part_schema'), current_setting('tenantctl.part_parent'),
                   current_setting('tenantctl.part_from'), current_setting('tenantctl.part_to'));
END
$$
