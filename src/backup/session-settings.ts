/**
 * Settings of tenantctl's own backup sessions (the snapshot holder, the checksum and count
 * sessions, verify's session on the restored copy), as pg_dump sets them for itself: a role's
 * or database's `statement_timeout` would cancel a checksum of a large table, and its
 * `idle_in_transaction_session_timeout` would end the transaction that holds the exported
 * snapshot while pg_dump reads it (the run then dies with CONNECTION_CLOSED). Passed as
 * startup settings to postgres.js sessions; psql scripts and the snapshot's transaction,
 * which run on sessions opened otherwise, set the same (table-checksums.sql,
 * backup-session-timeouts.sql).
 */
export const BACKUP_SESSION_SETTINGS: Readonly<Record<string, string>> = {
  statement_timeout: '0',
  idle_in_transaction_session_timeout: '0',
};
