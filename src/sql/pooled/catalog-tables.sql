-- Every table of one pooled schema as the erasure engine sees it: ordinary and partitioned
-- tables (a partition is reached through its parent, so partitions are left out), with their
-- primary key columns and their row-level security state.
-- $1 the pooled schema name
select c.relname                                   as table_name,
       c.relkind = 'p'                             as partitioned,
       c.relrowsecurity                            as rls_enabled,
       c.relforcerowsecurity                       as rls_forced,
       (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies,
       coalesce((select array_agg(a.attname::text order by k.ord)
                 from pg_index i
                 cross join lateral unnest(i.indkey::int2[]) with ordinality as k(attnum, ord)
                 join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
                 where i.indrelid = c.oid and i.indisprimary), '{}') as primary_key
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where n.nspname = $1
  and c.relkind in ('r', 'p')
  and not c.relispartition
order by c.relname
