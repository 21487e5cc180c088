-- After a migration's statements, before its commit, in one statement (one parse/bind/execute
-- per tenant, pg_locks read at most once): what integrity.ts needs to decide whether the migration
-- broke anything outside what it may change.
-- - registry, bookkeeping: are the tenant registry and tenantctl's bookkeeping still there?
--   The registry may legitimately be absent before the shared baseline (the caller decides).
-- - writes: the transaction's row counters of tenantctl's tables and the guarded registry (the
--   tables lock-and-check.sql noted in tenantctl.baseline), to compare with lock-and-check.sql's. A difference is
--   the migration writing the tool's bookkeeping or the registry (e.g. deleting every other
--   schema's history), which takes no ACCESS EXCLUSIVE lock and so escapes `changed`. (A
--   table it created in tenantctl is `created`; one it dropped, `changed` or `bookkeeping`.)
-- - created (tenant migrations only): objects this transaction created outside the schema. New
--   objects get OIDs above the watermark (an index range scan, not a catalog scan); of those,
--   the ones whose creating transaction is still in progress are ours, because another
--   session's uncommitted rows are invisible to us. A 32-bit xmin is widened to the xid8 that
--   pg_xact_status takes: the xid8 nearest to our own (within 2^31 of it), as PostgreSQL itself
--   compares xids. Toast tables of the schema's own tables live in pg_toast; temporary objects
--   vanish anyway.
-- - changed (tenant migrations only): relations outside the schema that this transaction
--   dropped or changed. It starts from our own locks: DROP, TRUNCATE and nearly every ALTER
--   TABLE hold an ACCESS EXCLUSIVE lock on their relation until commit. A locked relation is
--   reported when it is gone, existed before the migration (OID at or below the watermark), was
--   not already gone when it began (lock-and-check.sql's `gone`: an earlier file's or tenant's
--   drop, a table rewrite's transient heap) and was not one of the schema's own relations then
--   ($3): we dropped it; or when it is
--   outside the schema and its pg_class row, one of its pg_attribute rows or one of its
--   pg_constraint rows was written by this transaction (xmin in progress): TRUNCATE, ALTER …
--   COLUMN, ADD CONSTRAINT, RENAME. Dropping a tenant table whose foreign key points at a
--   shared table locks the shared table too, but writes none of its rows: not reported. With
--   $3 null every relation that is gone is 'dropped', and the caller cannot tell whether it
--   was outside (integrity.ts runs the migration again with the schema's relations listed).
-- The OID watermark, the guarded tables, the count of dropped relations and the relations already
-- gone come from the
-- transaction's tenantctl.baseline, which lock-and-check.sql noted: this statement can go out in
-- the same pipeline as it.
-- $1 the profile's registry (quoted qualified name), or null where the plan names none (a
-- warm-pool spare); $2 the tenant schema being migrated, or null for a shared migration
-- (created and changed are then null); $3 the schema's relations before (OIDs as text), or null
with now as (
    select pg_current_xact_id()::text::bigint as cur,
           split_part(current_setting('tenantctl.baseline'), ':', 1)::bigint as watermark,
           coalesce(string_to_array(nullif(split_part(current_setting('tenantctl.baseline'), ':', 4), ''), ','), '{}') as gone
), guarded as (
    select g.oid_text::bigint::oid as oid, g.ord
    from unnest(string_to_array(nullif(split_part(current_setting('tenantctl.baseline'), ':', 2), ''), ',')) with ordinality as g(oid_text, ord)
), created as (
    select 'table or index' as kind, c.relnamespace as ns, c.relname::text as name, c.xmin from pg_catalog.pg_class c where c.oid > (select watermark from now)::oid
    union all
    select 'function', p.pronamespace, p.proname::text, p.xmin from pg_catalog.pg_proc p where p.oid > (select watermark from now)::oid
    union all
    -- a table's row type and array types come with the table: report the table, once
    select 'type', t.typnamespace, t.typname::text, t.xmin from pg_catalog.pg_type t where t.oid > (select watermark from now)::oid and t.typrelid = 0 and t.typcategory <> 'A'
    union all
    select 'schema', n.oid, n.nspname::text, n.xmin from pg_catalog.pg_namespace n where n.oid > (select watermark from now)::oid
), created_outside as (
    -- the namespace looked up per new object (a handful), never a join that a generic plan
    -- could start from pg_namespace (one row per tenant)
    select w.kind, w.schema, w.name
    from (select c.kind, c.name, c.xmin, (select n.nspname from pg_catalog.pg_namespace n where n.oid = c.ns) as schema
          from created c offset 0) w
    cross join now
    cross join lateral (select ((now.cur >> 32) << 32) + w.xmin::text::bigint as full_xid) x
    cross join lateral (select greatest(3, case when x.full_xid > now.cur + 2147483648 then x.full_xid - 4294967296
                                               when x.full_xid < now.cur - 2147483648 then x.full_xid + 4294967296
                                               else x.full_xid end) as xid) wide
    where w.schema <> $2
      and w.schema !~ '^pg_(toast|temp_|toast_temp_)'
      and (w.kind <> 'schema' or w.name <> $2)
      and pg_xact_status(wide.xid::text::xid8) = 'in progress'
    order by 2, 3
    limit 20
), mine as (
    select distinct l.relation as rel
    from pg_catalog.pg_locks l
    where $2::text is not null
      and l.pid = pg_backend_pid()
      and l.locktype = 'relation'
      and l.mode = 'AccessExclusiveLock'
      and l.granted
      and l.database = (select d.oid from pg_catalog.pg_database d where d.datname = current_database())
      and l.relation::bigint <= (select watermark from now)
      -- dropped before this migration began (lock-and-check.sql's `gone`): not this migration's work
      and l.relation::bigint::text <> all((select gone from now)::text[])
      and ($3::text[] is null or l.relation::bigint::text <> all($3::text[]))
), located as (
    -- the namespace looked up per locked relation, as above
    select m.rel, c.oid is not null as present, c.xmin,
           (select n.nspname from pg_catalog.pg_namespace n where n.oid = c.relnamespace) as schema, c.relname::text as name
    from mine m
    left join pg_catalog.pg_class c on c.oid = m.rel
), changed_outside as (
    select case when l.present then 'changed' else 'dropped' end as action, l.schema, l.name, l.rel::bigint::text as oid
    from located l cross join now
    where not l.present
       or (l.schema <> $2
           and l.schema !~ '^pg_(toast|temp_|toast_temp_)'
           and exists (select 1
                       from (select l.xmin
                             union all select a.xmin from pg_catalog.pg_attribute a where a.attrelid = l.rel
                             union all select k.xmin from pg_catalog.pg_constraint k where k.conrelid = l.rel) x
                       where pg_xact_status(greatest(3, case when ((now.cur >> 32) << 32) + x.xmin::text::bigint > now.cur + 2147483648 then ((now.cur >> 32) << 32) + x.xmin::text::bigint - 4294967296
                                                             when ((now.cur >> 32) << 32) + x.xmin::text::bigint < now.cur - 2147483648 then ((now.cur >> 32) << 32) + x.xmin::text::bigint + 4294967296
                                                             else ((now.cur >> 32) << 32) + x.xmin::text::bigint end)::text::xid8) = 'in progress'))
    order by 1, 2, 3
    limit 20
)
select case when $1::text is null then null else to_regclass($1::text) is not null end as registry,
       to_regclass('tenantctl.schema_migrations') is not null
   and to_regclass('tenantctl.schema_state') is not null                                   as bookkeeping,
       -- in the order lock-and-check.sql listed them
       array(select (pg_catalog.pg_stat_get_xact_tuples_inserted(g.oid) + pg_catalog.pg_stat_get_xact_tuples_updated(g.oid)
                     + pg_catalog.pg_stat_get_xact_tuples_deleted(g.oid))::bigint::text
             from guarded g
             order by g.ord)                                                                 as writes,
       case when $2::text is not null then (select coalesce(json_agg(c), '[]') from created_outside c)::text end as created,
       case when $2::text is not null then (select coalesce(json_agg(c), '[]') from changed_outside c)::text end as changed
