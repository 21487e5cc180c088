-- The reference tables of the cluster (replicated to every node), as qualified names.
select logicalrelid::regclass::text as table_name
from pg_dist_partition
where partmethod = 'n' and repmodel = 't'
