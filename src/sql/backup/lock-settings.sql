-- What bounds the shared lock table: max_locks_per_transaction × (max_connections + max_prepared_transactions).
select current_setting('max_locks_per_transaction')::int as max_locks_per_transaction,
       current_setting('max_connections')::int           as max_connections,
       current_setting('max_prepared_transactions')::int as max_prepared_transactions,
       current_setting('server_version')                 as server_version,
       current_setting('server_version_num')::int        as server_version_num,
       current_database()                                as database
