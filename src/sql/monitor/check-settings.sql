-- `monitor check` reads few statistics entries: this database's counters and, per table, its
-- live-row count. session-settings.sql sets stats_fetch_consistency to 'snapshot', which
-- copies the statistics of every relation of the database the first time a transaction
-- reads any of them (1.77 million relations at 10,000 tenant schemas: over a second), and
-- each check is a transaction of its own, so the cache-hit and never-vacuumed checks would
-- each pay for a whole copy. 'none' reads each entry from shared memory as it is asked for.
-- PostgreSQL 15+ only (older servers have no such setting and read entry by entry anyway).
select case when current_setting('server_version_num')::int >= 150000
            then set_config('stats_fetch_consistency', 'none', false) end as stats_fetch_consistency
