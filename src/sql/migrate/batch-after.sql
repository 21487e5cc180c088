-- At the end of a batch of tenants (batch.ts), before its commit: did a tenant alter, truncate or
-- rename a relation outside its own schema (a shared table, another tenant's, one an earlier
-- tenant of the batch created)? integrity-after.sql checks each tenant for what it created and
-- dropped; this reads pg_locks once for the whole batch (its cost grows with the server's lock
-- table, not with what we hold) and finds which tenant wrote each change.
-- The relations: our ACCESS EXCLUSIVE locks (DROP, TRUNCATE and nearly every ALTER TABLE take
-- one, held until commit). A change: a pg_class, pg_attribute or pg_constraint row of such a
-- relation written by this transaction (xmin in progress: another session's uncommitted rows are
-- invisible to us). Dropping a tenant table whose foreign key points at a shared table locks the
-- shared table too, but writes none of its rows: not a change. Relations that are gone were
-- dropped, and the dropper's own check saw that (integrity-after.sql).
-- Whose change: each tenant's records (record-applied.sql) noted, in order, the id its rows were
-- written under, the oldest of that tenant's; a row belongs to the last record whose id is not
-- younger than its own. Ids compare as ages (age(): from our transaction's own id, the same
-- reference for the whole statement).
-- $1 the schema of each record, in the order they were made.
-- Answers the first culprit's ordinal among the records (1-based), or null when all is well.
with writers as (
    select u.age::integer as age, u.ord
    from unnest(string_to_array(nullif(current_setting('tenantctl.batch_writers', true), ''), ',')) with ordinality as u(age, ord)
), owners as (
    select s.schema, s.ord
    from unnest($1::text[]) with ordinality as s(schema, ord)
), now as (
    select pg_current_xact_id()::text::bigint as cur
), locked as (
    select distinct l.relation as rel
    from pg_catalog.pg_locks l
    where l.pid = pg_backend_pid()
      and l.locktype = 'relation'
      and l.mode = 'AccessExclusiveLock'
      and l.granted
      and l.database = (select d.oid from pg_catalog.pg_database d where d.datname = current_database())
), located as (
    -- the namespace looked up per locked relation, never a join a generic plan could start
    -- from pg_namespace (one row per tenant)
    select c.oid, (select n.nspname from pg_catalog.pg_namespace n where n.oid = c.relnamespace) as schema
    from locked l
    join pg_catalog.pg_class c on c.oid = l.rel
), written as (
    -- a 32-bit xmin widened to the xid8 pg_xact_status takes, as integrity-after.sql does: the
    -- one nearest to our own
    select lo.schema, age(x.xmin) as age
    from located lo
    cross join now
    cross join lateral (select c.xmin from pg_catalog.pg_class c where c.oid = lo.oid
                        union all select a.xmin from pg_catalog.pg_attribute a where a.attrelid = lo.oid
                        union all select k.xmin from pg_catalog.pg_constraint k where k.conrelid = lo.oid) x
    cross join lateral (select ((now.cur >> 32) << 32) + x.xmin::text::bigint as full_xid) f
    where lo.schema !~ '^pg_(toast|temp_|toast_temp_)'
      -- our transaction's ids are its own (age 0) and its subtransactions' (younger): an older
      -- row is another's, committed, and needs no status
      and age(x.xmin) <= 0
      and pg_xact_status(greatest(3, case when f.full_xid > now.cur + 2147483648 then f.full_xid - 4294967296
                                          when f.full_xid < now.cur - 2147483648 then f.full_xid + 4294967296
                                          else f.full_xid end)::text::xid8) = 'in progress'
), attributed as (
    -- a row older than the first record's id has the transaction's own id: none of the
    -- tenants' work is written there (each runs under its savepoint), but if one were, the
    -- first tenant answers for it
    select w.schema, coalesce((select max(r.ord) from writers r where r.age >= w.age), 1) as ord
    from written w
)
select min(a.ord)::integer as culprit
from attributed a
left join owners o on o.ord = a.ord
where o.schema is null or a.schema <> o.schema
