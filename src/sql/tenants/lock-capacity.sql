-- The size of the shared lock table: max_locks_per_transaction × (max_connections +
-- max_prepared_transactions) locks for the whole server (django-tenants #943).
select current_setting('max_locks_per_transaction')::int as max_locks_per_transaction,
       current_setting('max_connections')::int           as max_connections,
       current_setting('max_prepared_transactions')::int as max_prepared_transactions
