-- What bounds the shared lock table: max_locks_per_transaction × (MaxBackends +
-- max_prepared_transactions), where MaxBackends is max_connections + autovacuum_max_workers
-- + 1 (the launcher) + max_worker_processes + max_wal_senders; and how many of its entries
-- are in use now (fast-path locks live in each backend, not in the shared table).
select current_setting('max_locks_per_transaction')::int as max_locks_per_transaction,
       current_setting('max_connections')::int           as max_connections,
       current_setting('max_prepared_transactions')::int as max_prepared_transactions,
       current_setting('autovacuum_max_workers')::int + 1
         + current_setting('max_worker_processes')::int
         + current_setting('max_wal_senders')::int       as other_backends,
       (select count(*) from pg_locks where not fastpath)::int as locks_held,
       current_setting('server_version')                 as server_version,
       current_setting('server_version_num')::int        as server_version_num,
       current_database()                                as database
