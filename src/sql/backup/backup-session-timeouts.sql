-- For the rest of this transaction (is_local = true): no statement_timeout and no
-- idle_in_transaction_session_timeout, whatever the role or database sets, as pg_dump does
-- for itself. The transaction that exports the backup's snapshot sits idle while pg_dump and
-- the checksum sessions read it; a timeout would end it mid-backup.
-- (src/backup/session-settings.ts sets the same on sessions tenantctl opens for a backup.)
select set_config('statement_timeout', '0', true), set_config('idle_in_transaction_session_timeout', '0', true)
