-- The columns of an order-line table that an import writing a changed order's lines again must
-- carry over from the line it replaces: every stored column the file does not write (a cost, a
-- variant, what was shipped, created_at). Not the primary key (the new line gets its own), not a
-- generated or identity column (the server computes them), not updated_at (the line is written
-- now: its default says so).
-- With each, its default expression (null: none), for a line that has no line to take it from.
-- $1 schema, $2 table, $3 the columns the import writes (the parent key, the file's, the links')
select a.attname::text as column,
       pg_catalog.pg_get_expr(d.adbin, d.adrelid) as default
from pg_catalog.pg_attribute a
join pg_catalog.pg_class c on c.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
left join pg_catalog.pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
where n.nspname = $1 and c.relname = $2
  and a.attnum > 0 and not a.attisdropped
  and a.attgenerated = '' and a.attidentity = ''
  and a.attname <> all($3::text[])
  and a.attname <> 'updated_at'
  and not exists (select 1 from pg_catalog.pg_index i where i.indrelid = c.oid and i.indisprimary and a.attnum = any(i.indkey))
order by a.attnum
