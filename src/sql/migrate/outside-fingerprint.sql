-- A fingerprint of every relation outside the schema being migrated, the system's schemas
-- and the other tenants' (they change under parallel workers), for `transaction:false`
-- sections: each statement commits on its own, so no lock or xmin of ours is left to look
-- at; the caller compares the fingerprints taken before and after each statement. The digest
-- covers what DDL changes: name, schema, kind, file node (TRUNCATE, rewrites), the pg_class
-- row version (ALTER), the columns (ADD/DROP/RENAME/ALTER COLUMN) and the constraints.
-- One pass over pg_class; columns and constraints only for the relations kept. Other tenant
-- schemas are known by their schema_state rows: a schema whose very first migration is a
-- transaction:false one has none yet, and a parallel worker's change there would be reported.
-- $1 schema
with tenant_schemas as (
    select s.schema_name from tenantctl.schema_state s where s.scope = 'tenant'
), rels as (
    select c.oid, n.nspname, c.relname, c.relkind, c.relfilenode, c.xmin
    from pg_catalog.pg_class c
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname <> $1
      and n.nspname !~ '^pg_'
      and n.nspname <> 'information_schema'
      and n.nspname not in (select schema_name from tenant_schemas)
)
select r.oid::bigint::text as oid, r.nspname as schema, r.relname::text as name,
       md5(concat_ws('|', r.nspname, r.relname, r.relkind, r.relfilenode, r.xmin,
           (select string_agg(concat_ws(':', a.attnum, a.attname, a.atttypid, a.attnotnull, a.attisdropped, a.xmin), ',' order by a.attnum)
            from pg_catalog.pg_attribute a where a.attrelid = r.oid and a.attnum > 0),
           (select string_agg(concat_ws(':', k.conname, k.xmin), ',' order by k.oid)
            from pg_catalog.pg_constraint k where k.conrelid = r.oid))) as digest
from rels r
