-- Every table of a pooled schema with its row estimate and bytes, a partitioned table counted
-- with all its partitions (the rows live in them: the parent alone has no pages). From the
-- catalog only: no table is opened or locked, so nothing waits behind a migration's ACCESS
-- EXCLUSIVE lock (pg_total_relation_size and pg_partition_tree would). Partitions are found
-- through pg_inherits, at any depth. Bytes: pages of each table, its indexes, its TOAST table
-- and that table's index. Rows: reltuples of the tables that hold rows (-1 before the first
-- VACUUM or ANALYZE counts as 0). never_analyzed: some table that holds its rows has no
-- statistics yet (reltuples -1): its rows and heap pages count as 0 here whatever it holds.
-- $1 schema
with recursive tops as (
    select c.oid, c.relname
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname = $1 and c.relkind in ('r', 'p') and not c.relispartition
), members as (
    select t.oid as top, t.oid as rel from tops t
    union all
    select m.top, i.inhrelid from members m join pg_catalog.pg_inherits i on i.inhparent = m.rel
), sized as (
    select m.top,
           case when c.relkind = 'r' then greatest(c.reltuples, 0) else 0 end as rows,
           c.relkind = 'r' and c.reltuples < 0 as never_analyzed,
           c.relpages::bigint
           + coalesce((select sum(ic.relpages) from pg_catalog.pg_index x join pg_catalog.pg_class ic on ic.oid = x.indexrelid where x.indrelid = c.oid), 0)
           + coalesce((select t.relpages + coalesce((select sum(ti.relpages) from pg_catalog.pg_index tx join pg_catalog.pg_class ti on ti.oid = tx.indexrelid where tx.indrelid = t.oid), 0)
                       from pg_catalog.pg_class t where t.oid = c.reltoastrelid), 0) as pages
    from members m
    join pg_catalog.pg_class c on c.oid = m.rel
)
select t.relname as table,
       coalesce(sum(s.rows), 0)::float8 as rows,
       (coalesce(sum(s.pages), 0) * current_setting('block_size')::bigint)::bigint as bytes,
       coalesce(bool_or(s.never_analyzed), false) as never_analyzed
from tops t
join sized s on s.top = t.oid
group by t.relname
order by t.relname
