-- Inside a migration's transaction, before its statements: take the per-schema lock (so two
-- runs never apply the same migration twice), say whether the version is already applied
-- (another run may have done it while we waited for the lock), note the highest OID in use
-- (objects the migration creates get higher ones: integrity-after.sql) and how many relations
-- the transaction has dropped so far, and read the transaction's row counters of tenantctl's
-- tables and the guarded registry (the baseline of integrity-after.sql's `writes`, which is
-- given `guarded_oids`). One statement: one parse/bind/execute per tenant.
-- search_path is NOT set here: the section sets it in its own text and the default back after
-- it (section.ts), so that the prepared checks keep their plans.
-- `inside` lists the relations of the schema as it stands now (tables, views, sequences:
-- through pg_depend's index on the namespace; their indexes and TOAST tables through theirs):
-- a relation the migration drops that is not among them was outside the schema. Only with $4:
-- listing them reads catalog pages the migration itself never touches, and a migration that
-- drops nothing never needs them (null then; integrity.ts asks again when it does).
-- $6 commits the transaction without waiting for the WAL flush (a fleet run: run.ts makes its
-- final record synchronous, which flushes every earlier commit, before it reports anything).
-- `gone` lists the relations this transaction dropped before this migration (our ACCESS
-- EXCLUSIVE locks on OIDs no longer in pg_class): an earlier file of a provisioning transaction
-- dropped them, or a table rewrite (ALTER … TYPE, CLUSTER)
-- created and dropped them as its transient heap, toast table and toast index. Their locks stay
-- until commit; integrity-after.sql must not count them as dropped by this migration. pg_locks
-- is read only when the transaction has dropped relations at all (most never have).
-- The watermark, the guarded tables' OIDs, the count of dropped relations and `gone` are also noted in
-- the transaction (the local setting tenantctl.baseline, reverted by a rollback to an enclosing
-- savepoint), where integrity-after.sql reads them: it can then be sent before this statement's
-- answer has arrived.
-- tenantctl.migration_started lets record-applied.sql measure the migration's duration on the
-- server.
-- $2 is cast to text where it first appears: inferred from `nspname = $2` it would be a `name`,
-- and `schema_name = <name>` cannot use schema_migrations' primary key (a scan of the whole
-- ledger per tenant: quadratic in the fleet).
-- $1 lock name, $2 schema, $3 version, $4 list the schema's relations,
-- $5 the registry (quoted qualified name) whose rows the migration must not write, or null,
-- $6 commit asynchronously,
-- $7 a shared migration's registry (quoted qualified name), or null: whether it exists before
-- the migration (integrity.ts refuses a shared `up` that makes an existing registry vanish)
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
    -- The highest OID of the four catalogs integrity-after.sql scans for new objects (one
    -- backward index step each): every OID taken from here on is above it (one counter for all
    -- catalogs), and every object that exists now is at or below it.
    -- And the transaction's count of deleted pg_class rows: integrity-after.sql looks for
    -- dropped relations only when it has grown (a migration that drops nothing is most of them).
    select greatest((select max(oid) from pg_catalog.pg_class), (select max(oid) from pg_catalog.pg_proc),
                    (select max(oid) from pg_catalog.pg_type), (select max(oid) from pg_catalog.pg_namespace))::text::bigint as watermark,
           array(select g.oid::bigint::text from guarded g order by g.oid) as guarded_oids,
           pg_catalog.pg_stat_get_xact_tuples_deleted('pg_catalog.pg_class'::regclass) as relations_deleted
), gone as (
    select l.relation
    from pg_catalog.pg_locks l
    where (select b.relations_deleted > 0 from baseline b)
      and l.pid = pg_backend_pid()
      and l.locktype = 'relation'
      and l.mode = 'AccessExclusiveLock'
      and l.granted
      and l.database = (select d.oid from pg_catalog.pg_database d where d.datname = current_database())
      and not exists (select 1 from pg_catalog.pg_class c where c.oid = l.relation)
)
select l.locked,
       exists (select 1 from tenantctl.schema_migrations
               where schema_name = $2::text and version = $3) as applied,
       b.watermark,
       case when $7::text is not null then to_regclass($7::text) is not null end as registry_before,
       case when $4::boolean then array(select oid::bigint from inside)::text[] end as inside,
       -- the counters are read after the lock: `locked` is scanned first
       b.guarded_oids,
       array(select g.name from guarded g order by g.oid) as guarded_names,
       array(select g.writes from guarded g order by g.oid) as writes,
       set_config('tenantctl.baseline', b.watermark || ':' || array_to_string(b.guarded_oids, ',') || ':' || b.relations_deleted
                  || ':' || (select coalesce(string_agg(distinct g.relation::bigint::text, ','), '') from gone g), true) is not null
   and set_config('tenantctl.migration_started', clock_timestamp()::text, true) is not null as noted
from locked l cross join baseline b
