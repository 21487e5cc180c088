-- Relations outside the schema being migrated that this transaction dropped or changed.
-- Cheap because it starts from our own locks: DROP, TRUNCATE and nearly every ALTER TABLE
-- hold an ACCESS EXCLUSIVE lock on their relation until commit, and pg_locks lists only a
-- handful of rows for our backend. A locked relation is reported when
-- - it is gone, existed before the transaction (OID at or below the watermark) and was not
--   one of the schema's own relations then ($3): we dropped it;
-- - it is outside the schema and its pg_class row, one of its pg_attribute rows or one of its
--   pg_constraint rows was written by this transaction (xmin in progress and visible to us:
--   another session's uncommitted rows are invisible): TRUNCATE, ALTER … COLUMN, ADD
--   CONSTRAINT, RENAME. Dropping a tenant table whose foreign key points at a shared table
--   locks the shared table too, but writes none of its rows: not reported.
-- xmin is widened to xid8 as in created-outside.sql.
-- $1 schema, $2 OID watermark, $3 the schema's relations before the migration (OIDs as text),
-- or null when they were not listed: every relation that is gone is then 'dropped', and the
-- caller cannot tell whether it was outside (integrity.ts runs the migration again with them).
with mine as (
    select distinct l.relation as rel
    from pg_catalog.pg_locks l
    where l.pid = pg_backend_pid()
      and l.locktype = 'relation'
      and l.mode = 'AccessExclusiveLock'
      and l.granted
      and l.database = (select d.oid from pg_catalog.pg_database d where d.datname = current_database())
      and l.relation::bigint <= $2::bigint
      and ($3::text[] is null or l.relation::bigint::text <> all($3::text[]))
), now as (
    select pg_current_xact_id()::text::bigint as cur
), located as (
    select m.rel, c.oid is not null as present, n.nspname as schema, c.relname::text as name,
           array[c.xmin] || array(select a.xmin from pg_catalog.pg_attribute a where a.attrelid = m.rel)
                         || array(select k.xmin from pg_catalog.pg_constraint k where k.conrelid = m.rel) as xmins
    from mine m
    left join pg_catalog.pg_class c on c.oid = m.rel
    left join pg_catalog.pg_namespace n on n.oid = c.relnamespace
)
select case when l.present then 'changed' else 'dropped' end as action, l.schema, l.name, l.rel::bigint as oid
from located l cross join now
where not l.present
   or (l.schema <> $1
       and l.schema !~ '^pg_(toast|temp_|toast_temp_)'
       and exists (select 1 from unnest(l.xmins) x(xmin)
                   cross join lateral (select ((now.cur >> 32) << 32) + x.xmin::text::bigint as full_xid) w
                   where pg_xact_status(greatest(3, case when w.full_xid > now.cur + 2147483648 then w.full_xid - 4294967296
                                                         when w.full_xid < now.cur - 2147483648 then w.full_xid + 4294967296
                                                         else w.full_xid end)::text::xid8) = 'in progress'))
order by 1, 2, 3
limit 20
