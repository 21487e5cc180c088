-- Run by psql (not postgres.js): row count and content checksum of every ordinary table
-- in the schemas given as a JSON array in :'schemas', one CSV line per table.
-- psql variables: schemas (JSON array of schema names), snapshot (optional: an id from
-- pg_export_snapshot(), so that these figures describe exactly what pg_dump wrote),
-- formula ('hashtext' or 'md5': the checksum formula the manifest names).
--
-- The checksum is order-independent (a sum of a 128-bit hash of each row's text, as two
-- 64-bit halves) so that it needs no sort and constant memory however big the table, and a
-- restored copy whose rows sit in another physical order still matches. A changed, missing
-- or added row, or a value moved from one row to another, changes the rows' texts and so
-- the sum. The row text depends on these settings, so they are pinned here for both the
-- live database and the restored copy.
--
-- Formulas (the manifest's `checksumFormula`; verify computes the copy's figures with the
-- one its manifest names, so older backups still verify):
-- * hashtext: sum(hashtextextended(row text, 0)) / sum(hashtextextended(row text, 1)).
--   Both sums are bigint sums (a 128-bit accumulator): 2-4× faster than md5 on tables
--   with many rows (1M rows: 3.0 s against 5.4-12.3 s, load 7). Not hash_record_extended,
--   which is faster still but hashes values by type: 1.0 and 1.00, -0 and +0 would hash
--   alike, and json has no hash function at all. hashtextextended is PostgreSQL's own
--   text hash: the same on every little-endian server of any version since 11; a backup
--   verified on a big-endian server would show every table as different, never pass a
--   wrong one.
-- * md5 (backups made before the field existed): two 64-bit halves of md5(row text), as
--   numeric sums.
\set ON_ERROR_STOP on
-- As pg_dump does for itself: a role's or database's timeouts must not cancel a checksum of
-- a large table (src/backup/session-settings.ts).
set statement_timeout = 0;
set idle_in_transaction_session_timeout = 0;
set timezone = 'UTC';
set datestyle = 'ISO, YMD';
set intervalstyle = 'postgres';
set extra_float_digits = 3;
set bytea_output = 'hex';
-- A statement of 50 tables can cost enough to be JIT-compiled where the server has JIT:
-- compiling 50 branches' expressions costs far more than running them on small tables.
set jit = off;
-- The list of tables is read in the snapshot, then the tables are read in transactions of
-- 50 tables each, every one importing the snapshot again: so this session holds at most 50
-- table locks at a time, not one per table of the chunk, and backup chunks can be larger
-- (the lock table is shared by everyone). Each transaction reads its 50 tables in ONE
-- statement (a UNION ALL of one branch per table, ordered by the table's place in the list):
-- one round trip and one plan per 50 tables instead of per table, which made a chunk of
-- 2,310 tables 1.6× faster (8.6 s against 14.0 s at load 19). Each row's text is hashed in a
-- subquery, not a lateral function call: the same figures with a simpler plan, another
-- ~20 % on that chunk. \gexec runs the generated
-- statements in order once the list is read; the first one ends the listing transaction.
-- The statement that figures one table (%s its place in the list, %L schema and table
-- names, %I the same quoted as identifiers), for the formula asked for.
select case :'formula'
         when 'hashtext' then $q$select %s as n, %L as schema, %L as tbl, count(*) as rows, coalesce(sum(hashtextextended(r, 0)), 0) || '/' || coalesce(sum(hashtextextended(r, 1)), 0) as checksum from (select t::text as r from %I.%I as t) as t$q$
         when 'md5' then $q$select %s as n, %L as schema, %L as tbl, count(*) as rows, md5(coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text || '/' || coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text) as checksum from (select md5(t::text) as h from %I.%I as t) as t$q$
       end as figures \gset
\if :{?figures}
\else
-- Fails (ON_ERROR_STOP: psql exits 3) with the name in the message: no figures at all.
select ('unknown checksum formula ' || :'formula')::int;
\endif
begin isolation level repeatable read read only;
\if :{?snapshot}
set transaction snapshot :'snapshot';
\else
\set snapshot ''
\endif
with tables as (
    select (row_number() over (order by n.nspname, c.relname) - 1) / 50 as batch,
           row_number() over (order by n.nspname, c.relname) as n,
           format(:'figures',
                  row_number() over (order by n.nspname, c.relname), n.nspname, c.relname, n.nspname, c.relname) as figures
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r'
      and n.nspname in (select json_array_elements_text(:'schemas'::json))
      -- Tables that belong to an extension are recreated by CREATE EXTENSION, not dumped.
      and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
)
select stmt
from (
    select -1 as batch, 0::bigint as k, 'commit' as stmt
    union all
    select distinct batch, -2, 'begin isolation level repeatable read read only' from tables
    union all
    select distinct batch, -1, format('set transaction snapshot %L', :'snapshot') from tables where :'snapshot' <> ''
    union all
    select batch, 0, 'select schema, tbl, rows, checksum from (' || string_agg(figures, ' union all ' order by n) || ') b order by n'
    from tables group by batch
    union all
    select distinct batch, 9223372036854775807, 'commit' from tables
) s
order by batch, k
\gexec
