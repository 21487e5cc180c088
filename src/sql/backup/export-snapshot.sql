-- Export this transaction's snapshot so pg_dump (--snapshot) and the checksum sessions
-- all read the database as of one instant.
select pg_export_snapshot() as snapshot, now() as at
