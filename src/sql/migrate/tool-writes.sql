-- Rows this transaction has inserted, updated or deleted so far in tenantctl's own tables
-- (schema_migrations, schema_state, migration_runs, …) and, for a tenant migration, in the
-- tenant registry. Read once before a migration's statements and once after: a difference
-- is the migration writing the tool's bookkeeping or the registry (e.g. deleting every other
-- schema's history), which takes no ACCESS EXCLUSIVE lock and so escapes changed-outside.sql.
-- The per-transaction counters are looked up by OID (no pass over pg_class): tenantctl's
-- relations through pg_depend's index on the namespace, the registry by name.
-- $1 the registry (quoted qualified name) or null when its rows are the migration's to change
with rels as (
    select d.objid as oid
    from pg_catalog.pg_depend d
    where d.refclassid = 'pg_catalog.pg_namespace'::regclass
      and d.refobjid = (select n.oid from pg_catalog.pg_namespace n where n.nspname = 'tenantctl')
      and d.classid = 'pg_catalog.pg_class'::regclass
    union
    select to_regclass($1::text)::oid where $1::text is not null
)
select n.nspname as schema, c.relname::text as name,
       (pg_catalog.pg_stat_get_xact_tuples_inserted(c.oid) + pg_catalog.pg_stat_get_xact_tuples_updated(c.oid)
        + pg_catalog.pg_stat_get_xact_tuples_deleted(c.oid))::bigint::text as writes
from rels
join pg_catalog.pg_class c on c.oid = rels.oid and c.relkind in ('r', 'p')
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
