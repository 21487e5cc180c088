-- For the rest of this transaction: read and write time bounds in UTC, whatever the
-- server's or role's TimeZone, so month boundaries mean the same thing everywhere.
select set_config('TimeZone', 'UTC', true)
