-- Tables of one schema that Citus does not know yet (candidates for create_reference_table),
-- and whether each is partitioned (Citus cannot make a partitioned table a reference table:
-- it distributes those only by hash). $1 schema name.
select t.oid::regclass::text as table_name, t.relkind = 'p' as partitioned
from pg_class t
where t.relnamespace = $1::regnamespace and t.relkind in ('r', 'p') and not t.relispartition
  and not exists (select 1 from pg_dist_partition p where p.logicalrelid = t.oid)
order by 1
