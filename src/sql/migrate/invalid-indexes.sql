-- After a `transaction:false` section (or when one failed): the schema's indexes that are
-- INVALID — what a failed CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY leaves behind. Such
-- an index enforces nothing (a UNIQUE one lets duplicates in) and is never used to read, but
-- every write still updates it; and a retried `CREATE INDEX CONCURRENTLY IF NOT EXISTS` finds
-- it there and skips, so the migration would be recorded as applied without its index.
-- An index another session is building right now is invalid until it is done: not listed
-- (pg_stat_progress_create_index).
-- $1 the schema
select c.relname::text as name,
       t.relname::text as "table"
from pg_catalog.pg_index i
join pg_catalog.pg_class c on c.oid = i.indexrelid
join pg_catalog.pg_class t on t.oid = i.indrelid
where c.relnamespace = (select n.oid from pg_catalog.pg_namespace n where n.nspname = $1::text)
  and not i.indisvalid
  and i.indexrelid not in (select p.index_relid from pg_catalog.pg_stat_progress_create_index p where p.index_relid <> 0)
order by 1
