-- For the rest of this transaction only: group by sorting, in this backend alone. For
-- index-duplicates.sql, which groups 1.17 million near-unique keys at 10,000 tenant schemas:
-- a hash table of that many groups costs about 1.6x one sort of narrow keys, and a sort
-- split across parallel workers makes the leader merge every row again (measured: 1.9-2.1 s
-- of backend CPU hashed, 1.2 s sorted, under the same load).
select set_config('enable_hashagg', 'off', true) as enable_hashagg,
       set_config('max_parallel_workers_per_gather', '0', true) as max_parallel_workers_per_gather
