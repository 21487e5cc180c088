-- Schemas that hold an extension's objects: they stay in the base chunk, where pg_dump
-- writes CREATE EXTENSION (a chunk dumped with -n never includes extensions).
select distinct n.nspname as schema
from pg_extension e
join pg_namespace n on n.oid = e.extnamespace
