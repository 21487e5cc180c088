-- Create one month's partition when rows of that month already sit in the DEFAULT partition
-- (arguments from partition-args.sql): detach the default, create the month, move its rows
-- through the parent (so they route to the new partition), re-attach the default. One
-- transaction under an ACCESS EXCLUSIVE lock on the parent: inserts wait instead of failing
-- while no default is attached, and any error leaves everything as it was.
DO $$
DECLARE
    s    text := current_setting('tenantctl.part_schema');
    t    text := current_setting('tenantctl.part_parent');
    d    text := current_setting('tenantctl.part_default');
    k    text := current_setting('tenantctl.part_key');
    f    text := current_setting('tenantctl.part_from');
    u    text := current_setting('tenantctl.part_to');
    cols text;
    n    bigint;
BEGIN
    SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
      FROM pg_attribute
     WHERE attrelid = format('%I.%I', s, t)::regclass AND attnum > 0 AND NOT attisdropped;
    EXECUTE format('LOCK TABLE %I.%I IN ACCESS EXCLUSIVE MODE', s, t);
    EXECUTE format('ALTER TABLE %I.%I DETACH PARTITION %I.%I', s, t, s, d);
    EXECUTE format('CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)', s, current_setting('tenantctl.part_name'), s, t, f, u);
    EXECUTE format('WITH moved AS (DELETE FROM %I.%I WHERE %I >= %L AND %I < %L RETURNING %s) INSERT INTO %I.%I (%s) SELECT %s FROM moved',
                   s, d, k, f, k, u, cols, s, t, cols, cols);
    GET DIAGNOSTICS n = ROW_COUNT;
    EXECUTE format('ALTER TABLE %I.%I ATTACH PARTITION %I.%I DEFAULT', s, t, s, d);
    PERFORM set_config('tenantctl.part_moved', n::text, true);
END
$$
