-- Inside a migration's transaction, before its statements: take the per-schema lock (so two
-- runs never apply the same migration twice), say whether the version is already applied
-- (another run may have done it while we waited for the lock), note the highest OID in use
-- (objects the migration creates get higher ones: integrity-after.sql), and read the
-- transaction's row counters of tenantctl's tables and the guarded registry (the baseline of
-- integrity-after.sql's `writes`, which is given `guarded_oids`). One statement: one parse/bind/execute per tenant.
-- search_path is NOT set here: the section sets it in its own text and the default back after
-- it (section.ts), so that the prepared checks keep their plans.
-- `inside` lists the relations of the schema as it stands now (tables, views, sequences:
-- through pg_depend's index on the namespace; their indexes and TOAST tables through theirs):
-- a relation the migration drops that is not among them was outside the schema. Only with $4:
-- listing them reads catalog pages the migration itself never touches, and a migration that
-- drops nothing never needs them (null then; integrity.ts asks again when it does).
-- $6 commits the transaction without waiting for the WAL flush (a fleet run: run.ts makes its
-- final record synchronous, which flushes every earlier commit, before it reports anything).
-- The watermark and the guarded tables' OIDs are also noted in the transaction (the local setting
-- tenantctl.baseline, reverted by a rollback to an enclosing savepoint), where integrity-after.sql
-- reads them: it can then be sent before this statement's answer has arrived (a batch of tenants
-- goes to the server as one pipeline, batch.ts). tenantctl.migration_started lets
-- record-applied.sql measure the migration's duration on the server.
-- $2 is cast to text where it first appears: inferred from `nspname = $2` it would be a `name`,
-- and `schema_name = <name>` cannot use schema_migrations' primary key (a scan of the whole
-- ledger per tenant: quadratic in the fleet).
-- $1 lock name, $2 schema, $3 version, $4 list the schema's relations,
-- $5 the registry (quoted qualified name) whose rows the migration must not write, or null,
-- $6 commit asynchronously
with own as (
    select d.objid as oid
    from pg_catalog.pg_depend d
    where d.refclassid = 'pg_catalog.pg_namespace'::regclass
      and d.refobjid = (select n.oid from pg_catalog.pg_namespace n where n.nspname = $2::text)
      and d.classid = 'pg_catalog.pg_class'::regclass
), own_and_toast as (
    select oid from own
    union all
    select c.reltoastrelid from pg_catalog.pg_class c join own using (oid) where c.reltoastrelid <> 0
), inside as (
    select oid from own_and_toast
    union all
    select i.indexrelid from pg_catalog.pg_index i where i.indrelid in (select oid from own_and_toast)
), locked as (
    select pg_advisory_xact_lock(hashtextextended($1, 0)) is not null as locked,
           case when $6::boolean then set_config('synchronous_commit', 'off', true) end as commit_mode
), guarded as (
    -- tenantctl's tables and the guarded registry, in a fixed order that integrity-after.sql
    -- finds in tenantctl.baseline (it reads their counters again without looking them up)
    select c.oid, n.nspname || '.' || c.relname as name,
           (pg_catalog.pg_stat_get_xact_tuples_inserted(c.oid) + pg_catalog.pg_stat_get_xact_tuples_updated(c.oid)
            + pg_catalog.pg_stat_get_xact_tuples_deleted(c.oid))::bigint::text as writes
    from (select d.objid as oid
          from pg_catalog.pg_depend d
          where d.refclassid = 'pg_catalog.pg_namespace'::regclass
            and d.refobjid = (select n.oid from pg_catalog.pg_namespace n where n.nspname = 'tenantctl')
            and d.classid = 'pg_catalog.pg_class'::regclass
          union
          select to_regclass($5::text)::oid where $5::text is not null) rels
    join pg_catalog.pg_class c on c.oid = rels.oid and c.relkind in ('r', 'p')
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
), baseline as (
    -- pg_class's highest OID: every OID the transaction takes is above it (one counter for
    -- all catalogs); integrity-after.sql's range scans of pg_proc, pg_type and
    -- pg_namespace may start a little lower than they need to, never higher
    select (select max(oid) from pg_catalog.pg_class)::text::bigint as watermark,
           array(select g.oid::bigint::text from guarded g order by g.oid) as guarded_oids
)
select l.locked,
       exists (select 1 from tenantctl.schema_migrations
               where schema_name = $2::text and version = $3) as applied,
       b.watermark,
       case when $4::boolean then array(select oid::bigint from inside)::text[] end as inside,
       -- the counters are read after the lock: `locked` is scanned first
       b.guarded_oids,
       array(select g.name from guarded g order by g.oid) as guarded_names,
       array(select g.writes from guarded g order by g.oid) as writes,
       set_config('tenantctl.baseline', b.watermark || ':' || array_to_string(b.guarded_oids, ','), true) is not null
   and set_config('tenantctl.migration_started', clock_timestamp()::text, true) is not null as noted
from locked l cross join baseline b
