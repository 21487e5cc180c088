-- The shape of one schema as `migrate baseline` compares it: every column of every table
-- (with its type as PostgreSQL prints it and whether it is NOT NULL), and every index
-- definition with its name and schema left out, so that the same DDL run in a scratch
-- database and in the live one gives the same text.
-- $1 schema
select 'column' as kind,
       c.relname as table_name,
       a.attname as name,
       format_type(a.atttypid, a.atttypmod) || case when a.attnotnull then ' not null' else '' end as definition
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
 where n.nspname = $1 and c.relkind in ('r', 'p')
union all
select 'index',
       t.relname,
       i.relname,
       regexp_replace(
           replace(pg_get_indexdef(i.oid), ' ON ' || quote_ident(n.nspname) || '.', ' ON '),
           '^(CREATE (UNIQUE )?INDEX )\S+ ', '\1')
  from pg_index x
  join pg_class i on i.oid = x.indexrelid
  join pg_class t on t.oid = x.indrelid
  join pg_namespace n on n.oid = t.relnamespace
 where n.nspname = $1 and t.relkind in ('r', 'p')
order by 1, 2, 3
