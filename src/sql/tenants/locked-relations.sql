-- Which of the given tables someone holds or awaits an ACCESS EXCLUSIVE lock on (the table,
-- its TOAST table, an index of it, or any of its partitions), as monitor's exact sizes find
-- them: counting or sizing them would queue behind that lock (and hold up every session queued
-- behind this one). `tenant show` and `tenant list --exact-sizes` leave them out and say so;
-- the session's lock_timeout bounds a wait on a lock taken after this look.
-- $1 the tables: JSON [{"schema": …, "table": …}]
with recursive locked as (
  select distinct l.relation
  from pg_locks l
  where l.locktype = 'relation' and l.mode = 'AccessExclusiveLock'
    and l.database = (select oid from pg_database where datname = current_database())
), tables as (
  select t.schema, t."table", c.oid
  from jsonb_to_recordset($1::text::jsonb) as t(schema text, "table" text)
  join pg_namespace n on n.nspname = t.schema
  join pg_class c on c.relnamespace = n.oid and c.relname = t."table"
), tree as (
  -- Each table and its partitions at any depth, through pg_inherits: pg_partition_tree() would
  -- itself lock every partition, and wait behind the very lock looked for.
  select schema, "table", oid as relid from tables
  union
  select tree.schema, tree."table", i.inhrelid from tree join pg_inherits i on i.inhparent = tree.relid
)
select distinct tree.schema, tree."table"
from tree
join pg_class r on r.oid = tree.relid
where r.oid in (select relation from locked)
   or r.reltoastrelid in (select relation from locked)
   or exists (select 1 from pg_index i where i.indrelid = r.oid and i.indexrelid in (select relation from locked))
