-- After batch-lock.sql, in the same transaction and under the locks (a snapshot of its own, so it
-- sees what a run that held a lock before us committed): which of the batch's migrations are
-- already applied, and the baseline of the checks batch-after.sql makes at the batch's end.
-- - tenantctl.baseline (a local setting: a rollback to a savepoint reverts it): the highest OID
--   of the four catalogs batch-after.sql scans for new objects. Every OID taken from here on is
--   above it (one counter for all catalogs).
-- - tenantctl.batch_marks, empty: the marks (batch-mark-start.sql, batch-mark-end.sql) append an
--   entry per migration; tenantctl.batch_writers, empty: record-applied.sql appends the
--   transaction id of each record.
-- - `writes`: the expression the marks evaluate for the transaction's row writes to tenantctl's
--   tables and the guarded registry (a migration must not write them), their OIDs written out,
--   so that a mark (run twice per tenant) is function calls only, never a lookup of the tables.
-- $1 the schema of each migration of the batch, $2 its version (the same order);
-- $3 the registry (quoted qualified name) whose rows a migration must not write, or null
with guarded as (
    select d.objid as oid
    from pg_catalog.pg_depend d
    where d.refclassid = 'pg_catalog.pg_namespace'::regclass
      and d.refobjid = (select n.oid from pg_catalog.pg_namespace n where n.nspname = 'tenantctl')
      and d.classid = 'pg_catalog.pg_class'::regclass
      and (select c.relkind from pg_catalog.pg_class c where c.oid = d.objid) in ('r', 'p')
    union
    select c.oid from pg_catalog.pg_class c where c.oid = to_regclass($3::text) and c.relkind in ('r', 'p')
), watermark as (
    select greatest((select max(oid) from pg_catalog.pg_class), (select max(oid) from pg_catalog.pg_proc),
                    (select max(oid) from pg_catalog.pg_type), (select max(oid) from pg_catalog.pg_namespace))::text::bigint as oid
)
select array(select distinct m.schema_name
             from unnest($1::text[], $2::text[]) as a(schema, version)
             join tenantctl.schema_migrations m on m.schema_name = a.schema and m.version = a.version) as applied,
       coalesce((select string_agg(format('pg_stat_get_xact_tuples_inserted(%1$s) + pg_stat_get_xact_tuples_updated(%1$s) + pg_stat_get_xact_tuples_deleted(%1$s)', g.oid::bigint), ' + ' order by g.oid)
                 from guarded g), '0') as writes,
       set_config('tenantctl.baseline', w.oid::text, true) is not null
   and set_config('tenantctl.batch_marks', '', true) is not null
   and set_config('tenantctl.batch_writers', '', true) is not null as noted
from watermark w
