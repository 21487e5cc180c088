-- Inside a migration's transaction: take the per-schema lock (so two runs never apply the
-- same migration twice), point search_path at the schema, say whether the version is
-- already applied (another run may have done it while we waited for the lock), and note the
-- highest OID in use: objects the migration creates get higher ones (integrity.ts). `inside`
-- lists the relations of the schema as it stands now (tables, views, sequences: through
-- pg_depend's index on the namespace; their indexes and TOAST tables through theirs): a
-- relation the migration drops that is not among them was outside the schema. Only with $5:
-- listing them reads catalog pages the migration itself never touches (at 10,000 tenants,
-- 1.77M relations, it cost as much server time as the ALTER TABLE it guarded), and a migration
-- that drops nothing never needs them (null then; integrity.ts asks again when it does).
-- $1 lock name, $2 search_path, $3 schema, $4 version, $5 list the schema's relations
with own as (
    select d.objid as oid
    from pg_catalog.pg_depend d
    where d.refclassid = 'pg_catalog.pg_namespace'::regclass
      and d.refobjid = (select n.oid from pg_catalog.pg_namespace n where n.nspname = $3)
      and d.classid = 'pg_catalog.pg_class'::regclass
), own_and_toast as (
    select oid from own
    union all
    select c.reltoastrelid from pg_catalog.pg_class c join own using (oid) where c.reltoastrelid <> 0
), inside as (
    select oid from own_and_toast
    union all
    select i.indexrelid from pg_catalog.pg_index i where i.indrelid in (select oid from own_and_toast)
)
select pg_advisory_xact_lock(hashtextextended($1, 0)) is not null as locked,
       set_config('search_path', $2, true) is not null          as path_set,
       exists (select 1 from tenantctl.schema_migrations
               where schema_name = $3 and version = $4)         as applied,
       greatest((select max(oid) from pg_catalog.pg_class), (select max(oid) from pg_catalog.pg_proc),
                (select max(oid) from pg_catalog.pg_type), (select max(oid) from pg_catalog.pg_namespace))::text::bigint as watermark,
       case when $5::boolean then array(select oid::bigint from inside)::text[] end as inside
