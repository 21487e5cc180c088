-- How many rows of each listed table hold the value: the server runs each table's count
-- itself (query_to_xml runs a query given as text, inside this statement), so the client
-- neither builds nor sends one statement a table (40,000 of them at 1,000 tenant schemas,
-- where building and sending them cost more than the counting). Only tables with a hit come
-- back. The caller keeps a batch small (scan.ts, tablesPerStatement): the statement holds a lock
-- on every table it counted, and on the indexes its count's planning opened, until it ends, and
-- the lock table is shared by the whole server. A table whose heap has no
-- page holds no row, committed or not, and is not counted (pg_relation_size reads the file's
-- length; planning a count opens every index of the table too): most tables of a fleet of
-- tenant schemas are empty, and at 10,000 tenants this took the scan from 136 to 21 s. Not on
-- a Citus coordinator, whose tables' rows may live in shards hidden from this session behind
-- an empty table ($3 false there). A table dropped since it was listed (to_regclass null) is
-- passed over.
-- For a table with a hit, the count also tells which columns hold the value (one count a
-- column, of the matching rows only), so its rows are not read a second time.
-- $1 the tables: jsonb [{at: its place in the caller's list, schema, table, equal: uuid columns
--    compared with =, search: columns searched as text}], $2 the value, lower case, $3 whether
--    an empty heap may be passed over.
-- Answers `counts`: the matching rows, then one count per column, `equal` then `search`.
select t.at, n.counts
from jsonb_to_recordset($1::text::jsonb) as t(at int, schema text, "table" text, equal text[], search text[])
cross join lateral (
    select array(select format('%I = %L::uuid', c, $2::text) from unnest(t.equal) c)
        || array(select format('strpos(lower(%I::text), %L) > 0', c, $2::text) from unnest(t.search) c) as conditions
) w
cross join lateral (
    select (xpath('/row/*/text()',
                  query_to_xml(format('select count(*) as rows, %s from %I.%I where %s',
                                      (select string_agg(format('count(*) filter (where %s) as c%s', u.condition, u.i), ', ')
                                       from unnest(w.conditions) with ordinality u(condition, i)),
                                      t.schema, t."table", array_to_string(w.conditions, ' or ')),
                               false, true, '')))::text[]::int8[] as counts
    from (select to_regclass(format('%I.%I', t.schema, t."table")) as rel) r
    where r.rel is not null and (not $3::boolean or pg_relation_size(r.rel) > 0)
) n
where n.counts[1] > 0
