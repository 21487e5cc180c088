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
-- $1 the tables: jsonb [{at: its place in the caller's list, schema, table, equal: uuid columns
--    compared with =, search: columns searched as text}], $2 the value, lower case, $3 whether
--    an empty heap may be passed over
select t.at, n.rows
from jsonb_to_recordset($1::text::jsonb) as t(at int, schema text, "table" text, equal text[], search text[])
cross join lateral (
    select concat_ws(' or ',
             (select string_agg(format('%I = %L::uuid', c, $2::text), ' or ') from unnest(t.equal) c),
             (select string_agg(format('strpos(lower(%I::text), %L) > 0', c, $2::text), ' or ') from unnest(t.search) c)) as condition
) w
cross join lateral (
    select (xpath('/row/rows/text()',
                  query_to_xml(format('select count(*) as rows from %I.%I where %s', t.schema, t."table", w.condition), false, true, '')))[1]::text::bigint as rows
    from (select to_regclass(format('%I.%I', t.schema, t."table")) as rel) r
    where r.rel is not null and (not $3::boolean or pg_relation_size(r.rel) > 0)
) n
where n.rows > 0
