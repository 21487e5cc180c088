-- Every relation DROP SCHEMA … CASCADE will lock: tables, indexes, sequences, views,
-- TOAST tables and their indexes. $1 schema name.
with own as (
    select c.oid, c.reltoastrelid
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = $1
)
select (select count(*) from own)::int
     + (select count(*) from own where reltoastrelid <> 0)::int * 2 as relations
