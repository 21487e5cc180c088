-- Take one spare schema at exactly these migrations out of the pool, inside the caller's
-- transaction (rolled back with it), and move its migration history to the tenant's schema
-- name in the same statement (one statement: the handout's round trips are what a CLI
-- create pays on a fresh connection). The caller then renames the schema itself.
-- SKIP LOCKED: two creates never wait on or take the same spare; pg_try_advisory_xact_lock
-- on the per-schema migrate lock: a spare that `migrate up` is migrating right now is left alone.
-- Answers the spare with its stamped columns (pool/note-stamped.sql) and its build time.
-- $1 the tenant migrations as version:checksum, in order; $2 the tenant's schema name
with claimed as (
    delete from tenantctl.tenant_pool
    where schema_name = (
        select p.schema_name
        from tenantctl.tenant_pool p
        join pg_namespace n on n.nspname = p.schema_name
        where (select array_agg(m.version || ':' || m.checksum order by m.version::numeric)
               from tenantctl.schema_migrations m where m.schema_name = p.schema_name) = $1::text[]
        order by p.schema_name
        limit 1
        for update of p skip locked
    )
    and pg_try_advisory_xact_lock(hashtextextended('tenantctl.migrate:' || schema_name, 0))
    returning schema_name, stamped, created_at
), moved as (
    update tenantctl.schema_migrations m set schema_name = $2
    from claimed c where m.schema_name = c.schema_name
), state as (
    update tenantctl.schema_state s set schema_name = $2
    from claimed c where s.schema_name = c.schema_name
)
-- The stamped columns that are still there as noted (a migration run by an older tenantctl
-- may have dropped or changed one since): the handout never fails on a stale note.
select c.schema_name,
       coalesce((select jsonb_agg(e.value order by e.ordinality)
                 from jsonb_array_elements(c.stamped) with ordinality as e(value, ordinality)
                 join pg_catalog.pg_attribute a
                   on a.attrelid = to_regclass(quote_ident(c.schema_name) || '.' || quote_ident(e.value ->> 'table'))
                  and a.attname = e.value ->> 'column' and not a.attisdropped and a.attgenerated = ''
                  and format_type(a.atttypid, null) = e.value ->> 'type'), '[]') as stamped,
       -- The spare's build time and this transaction's time, as each date and time type gives
       -- them here (the session's TimeZone; ISO text: tenantctl's sessions use DateStyle ISO).
       -- pool.ts restamp() compares and sets with these as values of the column's own type: no
       -- function of the time runs inside its CASE (Citus refuses non-immutable ones there).
       to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as built_tz,
       c.created_at::timestamp::text as built_ts,
       c.created_at::date::text as built_date,
       to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as now_tz,
       localtimestamp::text as now_ts,
       current_date::text as now_date
from claimed c
