-- Exact bytes on disk of some tenant schemas (tables and matviews with their indexes and
-- TOAST; on a Citus coordinator a distributed table by its shards, citus/sizes.ts), for
-- `tenant list --exact-sizes` and `tenant show`: opens every relation, so only ever for one
-- page.
-- Tables through pg_depend's index (each depends on its schema), not a scan of pg_class.
-- A table someone holds or awaits an ACCESS EXCLUSIVE lock on (it, its TOAST table or an
-- index) is left out and named in `locked`: sizing it would queue behind that lock.
-- $1 the schema names
with locked as (
  select distinct l.relation
  from pg_locks l
  where l.locktype = 'relation' and l.mode = 'AccessExclusiveLock'
    and l.database = (select oid from pg_database where datname = current_database())
), tbl as (
  select n.nspname, c.oid, c.relname, {{sizes.distributed}} as distributed,
         (c.oid in (select relation from locked) or c.reltoastrelid in (select relation from locked)
          or exists (select 1 from pg_index i where i.indrelid = c.oid and i.indexrelid in (select relation from locked))) as locked
  from pg_namespace n
  join pg_depend d on d.refclassid = 'pg_namespace'::regclass and d.refobjid = n.oid and d.classid = 'pg_class'::regclass
  join pg_class c on c.oid = d.objid and c.relkind in ('r', 'm')
  where n.nspname = any($1::text[])
)
select nspname as schema,
       coalesce(sum(case when locked then null when distributed then {{sizes.total}}(oid) else pg_total_relation_size(oid) end), 0)::bigint as bytes,
       coalesce(array_agg(relname::text order by relname) filter (where locked), '{}') as locked
from tbl
group by nspname
