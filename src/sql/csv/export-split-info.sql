-- Whether an export is worth cutting into parts, and whether it can be: the table's size
-- on disk (not the planner's estimate: a freshly loaded table has no statistics yet), and
-- whether every natural key column is NOT NULL (a NULL key would fall outside every part).
-- $1 schema, $2 table, $3 table of each key column, $4 key column names.
select (select pg_relation_size(format('%I.%I', $1::text, $2::text)::regclass)) as bytes,
       (select current_setting('block_size')::int) as block_size,
       (select coalesce(bool_and(a.attnotnull), false)
        from unnest($3::text[], $4::text[]) as k(tbl, col)
        left join pg_attribute a
          on a.attrelid = format('%I.%I', $1::text, k.tbl)::regclass and a.attname = k.col and not a.attisdropped) as keys_not_null
