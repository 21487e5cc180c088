-- At the end of a batch of tenants (batch.ts), before its commit: did a tenant's migration reach
-- outside its own schema? One statement for the batch, in place of checks per tenant. It reads
-- what batch-begin.sql noted (the OID watermark), the marks of each migration
-- (batch-mark-start.sql and batch-mark-end.sql: an entry `tenant,deleted,writes,oid,deleted,writes`
-- per migration, in the order they ran; a rollback to a tenant's savepoint took its entries and
-- those after it away with its work) and the transaction id of each record (record-applied.sql:
-- the id its rows were written under, its tenant's savepoint's, the oldest id of that tenant's
-- work; every id of the tenants after it is younger). A row written by this transaction belongs
-- to the last record whose id is not younger than its own. Ids compare as ages (age(): from our
-- transaction's own id, the same reference for the whole statement).
-- - writes: a migration whose marks saw rows of tenantctl's tables or the guarded registry
--   written between them (its record comes after its end mark). The transaction's row counters
--   see every write, and no ACCESS EXCLUSIVE lock is needed to make one.
-- - created: objects this transaction created (OID above the watermark, creating transaction
--   still in progress: another session's uncommitted rows are invisible to us) outside the
--   schema of the tenant that wrote them. Toast tables of the schema's own tables live in
--   pg_toast; temporary objects vanish anyway.
-- - dropped: relations this transaction holds ACCESS EXCLUSIVE locks on (DROP takes one on every
--   relation it removes, held until commit) that are gone. OIDs come from one counter and only
--   grow, so each was created by the migration whose OID range holds it (above the ranges before
--   it, at most its end mark's OID). Each migration must have deleted exactly as many pg_class rows
--   as there are such relations of its own (what it created and dropped again: a table rewrite's
--   transient heap, a scratch table). If each did, none dropped another's relation: a migration
--   can only drop what exists when it runs, so one that dropped an earlier migration's relation
--   leaves one of its own to be dropped by a later one, and the last of that chain has nothing to
--   balance it with. A gone relation older than the batch (at or below the watermark) was found
--   and dropped. Either way the tenants from the first that dropped anything run alone, with the
--   schema's relations listed (integrity.ts tells their own relations from others').
-- - changed: relations outside a tenant's schema whose pg_class, pg_attribute or pg_constraint
--   row the tenant wrote (ALTER TABLE, TRUNCATE, RENAME: under the same ACCESS EXCLUSIVE locks).
--   Dropping a tenant table whose foreign key points at a shared table locks the shared table
--   too, but writes none of its rows: not a change.
-- - unexplained: what no migration's marks account for (a relation of ours gone outside every
--   range, marks cut short, the registry or tenantctl's bookkeeping gone): the whole batch runs
--   alone, where each tenant's own checks (integrity-after.sql) tell.
-- A 32-bit xmin is widened to the xid8 pg_xact_status takes: the one nearest to our own, as
-- PostgreSQL itself compares xids.
-- $1 the tenant (its index in the batch) of each record, in the order they were made;
-- $2 the schema of each tenant of the batch, by index; $3 the profile's registry (quoted
-- qualified name), or null.
-- Answers the first culprit tenant (its index), the first tenant from which the batch must run
-- alone because of what it dropped, and why the whole batch must run alone (null when it need not).
with now as (
    select pg_current_xact_id()::text::bigint as cur, current_setting('tenantctl.baseline')::bigint as watermark
), entries as (
    select m.ord, string_to_array(m.entry, ',') as f
    from unnest(string_to_array(current_setting('tenantctl.batch_marks'), ';')) with ordinality as m(entry, ord)
    where m.entry <> ''
), marks as (
    -- a migration's OID range starts above every earlier one's end
    select e.ord, e.f[1]::integer as tenant, e.f[5]::bigint - e.f[2]::bigint as deleted,
           e.f[6]::numeric - e.f[3]::numeric as writes, e.f[4]::bigint as oid_to,
           coalesce(max(e.f[4]::bigint) over (order by e.ord rows between unbounded preceding and 1 preceding), (select watermark from now)) as oid_after,
           cardinality(e.f) = 6 as whole
    from entries e
), schemas as (
    select s.schema, s.ord::integer - 1 as tenant
    from unnest($2::text[]) with ordinality as s(schema, ord)
), writers as (
    -- the records' ages in order, youngest (smallest) first, and their tenants in the same order:
    -- a sorted array, in which each row finds its record by binary search (width_bucket), where a
    -- lookup per row in the list of records made the check quadratic in the batch's size
    select array_agg(u.age::integer order by u.age::integer) as ages, array_agg(t.tenant order by u.age::integer) as tenants
    from unnest(string_to_array(nullif(current_setting('tenantctl.batch_writers', true), ''), ',')) with ordinality as u(age, ord)
    join unnest($1::integer[]) with ordinality as t(tenant, ord) on t.ord = u.ord
), created as (
    select 'table or index' as kind, c.relnamespace as ns, c.relname::text as name, c.xmin from pg_catalog.pg_class c where c.oid > (select watermark from now)::oid
    union all
    select 'function', p.pronamespace, p.proname::text, p.xmin from pg_catalog.pg_proc p where p.oid > (select watermark from now)::oid
    union all
    -- a table's row type and array types come with the table: report the table, once
    select 'type', t.typnamespace, t.typname::text, t.xmin from pg_catalog.pg_type t where t.oid > (select watermark from now)::oid and t.typrelid = 0 and t.typcategory <> 'A'
    union all
    select 'schema', n.oid, n.nspname::text, n.xmin from pg_catalog.pg_namespace n where n.oid > (select watermark from now)::oid
), ours as (
    -- the relations we hold ACCESS EXCLUSIVE locks on: read once for the batch (pg_locks costs as
    -- much as the server's lock table is large, not what we hold)
    select distinct l.relation as rel
    from pg_catalog.pg_locks l
    where l.pid = pg_backend_pid()
      and l.locktype = 'relation'
      and l.mode = 'AccessExclusiveLock'
      and l.granted
      and l.database = (select d.oid from pg_catalog.pg_database d where d.datname = current_database())
), gone as (
    select o.rel::bigint as oid,
           (select k.ord from marks k where o.rel::bigint > k.oid_after and o.rel::bigint <= k.oid_to) as entry
    from ours o
    where (select bool_or(k.deleted <> 0) from marks k)
      and not exists (select 1 from pg_catalog.pg_class c where c.oid = o.rel)
), drops as (
    -- the first migration whose deleted rows are not its own relations, or any that deleted some
    -- when a relation older than the batch is gone
    select min(k.tenant) as tenant
    from marks k
    where k.deleted <> (select count(*) from gone g where g.entry = k.ord)
       or (k.deleted <> 0 and exists (select 1 from gone g where g.oid <= (select watermark from now)))
), located as (
    select c.oid, (select n.nspname from pg_catalog.pg_namespace n where n.oid = c.relnamespace) as schema
    from ours o
    join pg_catalog.pg_class c on c.oid = o.rel
), touched as (
    -- the catalog rows that may be the batch's: of the objects created (one namespace lookup per
    -- new object, a handful, never a join a generic plan could start from pg_namespace, one row
    -- per tenant) and of the relations we hold ACCESS EXCLUSIVE locks on
    select w.kind, w.name, (select n.nspname from pg_catalog.pg_namespace n where n.oid = w.ns) as schema, w.xmin
    from (select c.* from created c offset 0) w
    union all
    select 'changed', null, lo.schema, x.xmin
    from located lo
    cross join lateral (select c.xmin from pg_catalog.pg_class c where c.oid = lo.oid
                        union all select a.xmin from pg_catalog.pg_attribute a where a.attrelid = lo.oid
                        union all select k.xmin from pg_catalog.pg_constraint k where k.conrelid = lo.oid) x
), attributed as (
    -- those this transaction wrote, each to the tenant whose record's id is the nearest not younger
    -- than the row's. Our transaction's ids are its own (age 0) and its subtransactions' (younger):
    -- an older row is another's, committed, and needs no status. A row older than the first
    -- record's id has the transaction's own id: none of the tenants' work is written there (each
    -- runs under its savepoint), but if one were, the first tenant answers for it.
    -- (width_bucket: the position of the last age not above the row's; the record is there when
    -- its age is the row's, else just after it; past the end, none.)
    select t.kind, t.name, t.schema,
           coalesce(w.tenants[case when w.ages[b.at] = b.age then b.at else b.at + 1 end],
                    (select min(i) from unnest($1::integer[]) i)) as tenant
    from touched t
    cross join now
    cross join writers w
    cross join lateral (select age(t.xmin) as age, width_bucket(age(t.xmin), w.ages) as at) b
    cross join lateral (select ((now.cur >> 32) << 32) + t.xmin::text::bigint as full_xid) f
    where t.schema !~ '^pg_(toast|temp_|toast_temp_)'
      and b.age <= 0
      and pg_xact_status(greatest(3, case when f.full_xid > now.cur + 2147483648 then f.full_xid - 4294967296
                                          when f.full_xid < now.cur - 2147483648 then f.full_xid + 4294967296
                                          else f.full_xid end)::text::xid8) = 'in progress'
), outside as (
    -- created or changed outside the writing tenant's schema (its own schema, created, is its own)
    select a.tenant
    from attributed a
    join schemas s on s.tenant = a.tenant
    where a.schema <> s.schema
      and (a.kind <> 'schema' or a.name <> s.schema)
)
select least((select min(k.tenant) from marks k where k.writes <> 0),
             (select min(tenant) from outside)) as culprit,
       (select tenant from drops) as dropped,
       case when exists (select 1 from marks k where not k.whole) then 'a migration of the batch left its marks incomplete'
            when exists (select 1 from gone g where g.entry is null and g.oid > (select watermark from now)) then 'the batch dropped a relation no migration of it accounts for'
            when $3::text is not null and to_regclass($3::text) is null then 'the registry is gone'
            when to_regclass('tenantctl.schema_migrations') is null or to_regclass('tenantctl.schema_state') is null then 'tenantctl''s bookkeeping is gone'
       end as unexplained
