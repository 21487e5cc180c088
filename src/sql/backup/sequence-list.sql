-- Every sequence whose value a dump carries (all user schemas), for the check that no
-- sequence was set back after the backup's snapshot: oid, `schema.name`, the name quoted
-- as pg_dump writes it in its setval() calls, and the increment's sign. Catalogs only, so
-- it takes no lock on the sequences themselves.
-- Left out: cycling sequences (going back is what they are for) and extension members
-- (CREATE EXTENSION recreates them; pg_dump writes no value for them).
select c.oid::int as oid,
       n.nspname as schema,
       c.relname as name,
       format('%I.%I', n.nspname, c.relname) as qualified,
       s.seqincrement > 0 as ascending
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
join pg_sequence s on s.seqrelid = c.oid
where c.relkind = 'S'
  and not s.seqcycle
  and n.nspname <> 'information_schema'
  and n.nspname !~ '^pg_'
  and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
order by n.nspname, c.relname
