-- Estimated bytes of a few tenant schemas, from the statistics (relpages x block_size of
-- their tables and matviews with their indexes, TOAST tables and TOAST indexes, as of the
-- last VACUUM or ANALYZE): the same figure as `monitor tenant-sizes`; never opens a relation.
-- For a page of `tenant list`: each schema's relations through pg_depend's index (every
-- relation depends on its schema; pg_class has no index on relnamespace), so the cost is
-- the page's, not the fleet's. monitor/schema-totals.sql (one pass over pg_class) is the
-- cheaper way for a large share of the fleet.
-- never_analyzed: the schema's tables never vacuumed or analyzed (reltuples -1): their heap
-- pages are 0 here whatever they hold.
-- $1 the schema names
with nsp as materialized (
    select n.oid, n.nspname from pg_namespace n where n.nspname = any($1::text[])
), rels as materialized (
    select nsp.nspname, c.oid, c.relpages, c.reltuples, c.reltoastrelid
    from nsp
    join pg_depend d on d.refclassid = 'pg_namespace'::regclass and d.refobjid = nsp.oid and d.classid = 'pg_class'::regclass
    join pg_class c on c.oid = d.objid and c.relkind in ('r', 'm')
)
select r.nspname as schema,
       sum(r.relpages::bigint + coalesce(toast.relpages, 0)
           + coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = r.oid), 0)
           + coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = toast.oid), 0))::bigint
         * current_setting('block_size')::bigint as bytes,
       (count(*) filter (where r.reltuples < 0))::int as never_analyzed
from rels r
left join pg_class toast on toast.oid = r.reltoastrelid
group by r.nspname
