-- After citus_schema_distribute: empty the coordinator's local copies of the schema's tables.
-- Citus copies their rows to the shards and leaves them on the coordinator's disk, invisible
-- to queries but still there (personal data a later erasure cannot reach; disk use doubled).
-- Partitions go with their parent (the function truncates with CASCADE, locally only: the
-- shards keep their rows). It refuses a table a local table references by foreign key: the
-- caller's transaction then rolls back and the schema stays local. $1 schema name.
select count(truncate_local_data_after_distributing_table(c.oid))::int as truncated
from pg_class c
join pg_dist_partition p on p.logicalrelid = c.oid
where c.relnamespace = $1::regnamespace and not c.relispartition
