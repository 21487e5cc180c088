-- For a statement that reads several statistics of every relation (cache-hit.sql: the hits and
-- the blocks fetched of each table, index and TOAST table): one copy of all of them for the
-- rest of the transaction costs less there than a shared-memory lookup per call, the
-- monitoring session's 'none' (session-settings.sql). At 10,000 tenant schemas cache-hit.sql
-- took 3.4-3.7 s this way against 4.0-4.4 s. PostgreSQL 15+; local to the transaction.
select case when current_setting('server_version_num')::int >= 150000
            then set_config('stats_fetch_consistency', 'snapshot', true) end as stats_fetch_consistency
