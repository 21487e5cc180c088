-- Settings for a monitoring session.
-- lock_timeout: a monitor must never queue behind a migration's ACCESS EXCLUSIVE lock (and
--   make everything queued behind it wait too); it fails that one statement instead.
-- work_mem: the reports hash and sort the whole catalog (100,000+ pg_class and pg_index rows
--   on a big fleet); at the 4MB default those spill to disk. Raised for this session only,
--   never lowered.
-- stats_fetch_consistency (PostgreSQL 15+): 'none', one shared-memory lookup per call and no
--   copy kept. The default 'cache' also copies every entry read into a per-transaction hash,
--   and 'snapshot' copies the whole database's statistics first, walking every entry of the
--   server's; a report reads each relation's statistics once, so the copies are pure cost. At
--   10,000 tenant schemas on 2 cores (900,000 indexes), reading one statistic of every index
--   in a new session: cache 4.6-5.1 s, snapshot 3.0-3.2 s, none 2.4-3.2 s; `monitor indexes`'
--   statement 4.0-4.3 s with snapshot, 3.1 s with none. Figures can then move between two calls
--   in one statement, which the reports allow for (hits never above fetched).
-- parallel_setup_cost / parallel_tuple_cost: the catalog-wide joins and aggregates are the
--   kind of work parallel workers speed up, but at the default costs the planner rarely
--   chooses them for catalog tables; cheaper costs (never raised) cut table-sizes and
--   indexes by 15-25% on a 2-core server, more with more cores. At most the server's
--   max_parallel_workers_per_gather (default 2) workers, for a fraction of a second.
-- jit: off. A catalog-wide report is estimated at millions of cost units, far above
--   jit_above_cost, so the server compiles it with LLVM, and a report runs once per process:
--   at 1,000 tenant schemas `monitor indexes` spent 13.7 s of 18.6 s compiling (EXPLAIN
--   ANALYZE, JIT Timing), 3.7 s without. Only this session's statements are affected.
-- have_stats_callable: whether this session may call pg_stat_have_stats (monitor/indexes.sql,
--   {{has.stats}}). It exists from PostgreSQL 15, and only superusers may call it unless
--   granted (PUBLIC may not), where the other statistics functions are everyone's.
select set_config('lock_timeout', $1, false) as lock_timeout,
       case when pg_size_bytes(current_setting('work_mem')) < pg_size_bytes('64MB')
            then set_config('work_mem', '64MB', false) end as work_mem,
       case when current_setting('server_version_num')::int >= 150000
            then set_config('stats_fetch_consistency', 'none', false) end as stats_fetch_consistency,
       set_config('parallel_setup_cost', least(current_setting('parallel_setup_cost')::float8, 100)::text, false) as parallel_setup_cost,
       set_config('parallel_tuple_cost', least(current_setting('parallel_tuple_cost')::float8, 0.01)::text, false) as parallel_tuple_cost,
       set_config('jit', 'off', false) as jit,
       case when to_regprocedure('pg_catalog.pg_stat_have_stats(text, oid, oid)') is not null
            then has_function_privilege('pg_catalog.pg_stat_have_stats(text, oid, oid)', 'execute')
            else false end as have_stats_callable
