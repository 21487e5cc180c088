-- Objects this transaction created outside the schema being migrated. New objects get OIDs
-- above the watermark taken when the transaction began (an index range scan, not a catalog
-- scan); of those, the ones whose creating transaction is still in progress are ours,
-- because another session's uncommitted rows are invisible to us. A 32-bit xmin is widened
-- to the xid8 that pg_xact_status takes: the xid8 nearest to our own (within 2^31 of it),
-- as PostgreSQL itself compares xids; later transactions, ours or not, are above it.
-- Toast tables of the schema's own tables live in pg_toast; temporary objects vanish anyway.
-- $1 schema, $2 OID watermark
with created as (
    select 'table or index' as kind, c.relnamespace as ns, c.relname::text as name, c.xmin from pg_catalog.pg_class c where c.oid > $2::bigint::oid
    union all
    select 'function', p.pronamespace, p.proname::text, p.xmin from pg_catalog.pg_proc p where p.oid > $2::bigint::oid
    union all
    -- a table's row type and array types come with the table: report the table, once
    select 'type', t.typnamespace, t.typname::text, t.xmin from pg_catalog.pg_type t where t.oid > $2::bigint::oid and t.typrelid = 0 and t.typcategory <> 'A'
    union all
    select 'schema', n.oid, n.nspname::text, n.xmin from pg_catalog.pg_namespace n where n.oid > $2::bigint::oid
), now as (
    select pg_current_xact_id()::text::bigint as cur
), widened as (
    select c.*, ((now.cur >> 32) << 32) + c.xmin::text::bigint as full_xid, now.cur
    from created c cross join now
)
select w.kind, n.nspname as schema, w.name
from widened w
join pg_catalog.pg_namespace n on n.oid = w.ns
where n.nspname <> $1
  and n.nspname !~ '^pg_(toast|temp_|toast_temp_)'
  and (w.kind <> 'schema' or w.name <> $1)
  and pg_xact_status(greatest(3, case when w.full_xid > w.cur + 2147483648 then w.full_xid - 4294967296
                                      when w.full_xid < w.cur - 2147483648 then w.full_xid + 4294967296
                                      else w.full_xid end)::text::xid8) = 'in progress'
order by 2, 3
limit 20
