-- Take one spare schema at exactly these migrations out of the pool, inside the caller's
-- transaction (rolled back with it), and move its migration history to the tenant's schema
-- name in the same statement (one statement: the handout's round trips are what a CLI
-- create pays on a fresh connection). The caller then renames the schema itself.
-- SKIP LOCKED: two creates never wait on or take the same spare; pg_try_advisory_xact_lock
-- on the per-schema migrate lock: a spare that `migrate up` is migrating right now is left alone.
-- Answers the spare and `restamp`: the statements the caller runs after the rename, or null:
-- - the values the spare's migrations stamped (pool/note-stamped.sql) take this create's time;
-- - a function whose migration set its search_path FROM CURRENT (the usual way to pin a
--   SECURITY DEFINER function to its own schema) recorded the spare's name there, which the
--   rename does not change: it is set again with the tenant's schema in that place, as a create
--   without the pool records it. (Other places a migration can write the schema's name, its
--   function bodies or rows, keep no spare at all: pool/name-leaks.sql.)
-- $1 the tenant migrations as version:checksum, in order; $2 the tenant's schema name
with claimed as (
    delete from tenantctl.tenant_pool
    where schema_name = (
        select p.schema_name
        from tenantctl.tenant_pool p
        -- as a create without the pool would make it: owned by this role (a spare whose schema
        -- is gone has no owner and is passed over), its tables granted what the default
        -- privileges in force now grant (a spare built before an ALTER DEFAULT PRIVILEGES, or by
        -- another role, would hand out other grants and owner), at exactly these migrations.
        -- Each looked up per spare through an index (the namespace by its name as a `name`: a
        -- join on the text column read every schema of the fleet once per spare).
        where (select n.nspowner from pg_catalog.pg_namespace n where n.nspname = p.schema_name::name)
              = (select r.oid from pg_catalog.pg_roles r where r.rolname = current_user)
          and p.built_under = (select v.privileges from tenantctl.default_privileges_now v)
          and (select array_agg(m.version || ':' || m.checksum order by m.version::numeric)
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
),
-- The stamped columns that are still there as noted (a migration run by an older tenantctl
-- may have dropped or changed one since): the handout never fails on a stale note.
still as (
    select e.value ->> 'table' as tbl, e.value ->> 'column' as col, e.value ->> 'type' as typ, e.ordinality as ord
    from claimed c
    cross join lateral jsonb_array_elements(c.stamped) with ordinality as e(value, ordinality)
    join pg_catalog.pg_attribute a
      on a.attrelid = to_regclass(quote_ident(c.schema_name) || '.' || quote_ident(e.value ->> 'table'))
     and a.attname = e.value ->> 'column' and not a.attisdropped and a.attgenerated = ''
     and format_type(a.atttypid, null) = e.value ->> 'type'
), typed as (
    -- Each value from the build until now takes this transaction's time as the column's default
    -- would give it (now(), localtimestamp, current_date), both written as literals of the
    -- column's type: no function of the time inside the CASE (Citus refuses non-immutable ones
    -- there), and the timestamptz ones as ISO 8601 in UTC, read back the same in any session.
    select s.tbl, s.col, s.ord,
           case s.typ when 'date' then 'date' when 'timestamp without time zone' then 'timestamp' else 'timestamptz' end as type,
           case s.typ when 'date' then c.created_at::date::text
                      when 'timestamp without time zone' then c.created_at::timestamp::text
                      else to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') end as since,
           case s.typ when 'date' then current_date::text
                      when 'timestamp without time zone' then localtimestamp::text
                      else to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') end as stamp
    from still s cross join claimed c
), per_table as (
    select t.tbl, min(t.ord) as ord,
           string_agg(format('%1$I = case when %1$I >= %2$L::%4$s and %1$I <= %3$L::%4$s then %3$L::%4$s else %1$I end', t.col, t.since, t.stamp, t.type), ', ' order by t.ord) as sets
    from typed t
    group by t.tbl
), pinned as (
    -- the functions of the spare (through pg_depend's index on the namespace, as pg_proc has
    -- none) whose search_path names the spare, bare or quoted, in any place of the list
    select format('alter routine %I.%I(%s) set search_path = %s', $2::text, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid),
                  regexp_replace(substr(s.setting, length('search_path=') + 1),
                                 '(^|,)(\s*)"?' || c.schema_name || '"?(?=\s*(,|$))', '\1\2' || replace(quote_ident($2::text), '\', '\\'), 'g')) as statement,
           p.oid
    from claimed c
    join pg_catalog.pg_namespace n on n.nspname = c.schema_name
    join pg_catalog.pg_depend d on d.refclassid = 'pg_catalog.pg_namespace'::regclass and d.refobjid = n.oid
                               and d.classid = 'pg_catalog.pg_proc'::regclass and d.deptype = 'n'
    join pg_catalog.pg_proc p on p.oid = d.objid
    cross join lateral unnest(p.proconfig) as s(setting)
    where s.setting like 'search_path=%'
      and s.setting ~ ('(=|,)\s*"?' || c.schema_name || '"?\s*(,|$)')
)
select c.schema_name,
       -- a data-modifying CTE per table in one statement, then one statement per function, on
       -- the schema's new name: one simple query
       nullif(concat_ws('; ',
                        (select 'with ' || string_agg(format('%I as (update %I.%I set %s returning 1)', 'restamp_' || p.ord, $2::text, p.tbl, p.sets), ', ' order by p.ord) || ' select 1'
                         from per_table p),
                        (select string_agg(f.statement, '; ' order by f.oid) from pinned f)), '') as restamp
from claimed c
