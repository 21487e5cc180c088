-- Indexes another index on the same table makes unnecessary:
--   duplicate: same access method, columns, operator classes, collations, expressions and
--              predicate (the one to drop is the non-unique one, else the newer one);
--   redundant: a non-unique b-tree whose columns are a leading prefix of another b-tree's
--              (same predicate, no expressions), which serves the same lookups.
-- An index covered by several others is reported once (an exact duplicate first). The
-- pairing works on narrow rows (oids and key texts); names are looked up for the few found.
-- $1 schemas (empty = all but system schemas), $2 limit.
with idx as (
  select x.indexrelid, x.indrelid, x.indisunique, x.indisprimary, x.indnatts, x.indnkeyatts, i.relam,
         x.indkey::text as keys, x.indclass::text as opclasses, x.indcollation::text as collations,
         -- pg_get_expr only where there is an expression: it is costly over 100,000 indexes.
         case when x.indexprs is null then '' else pg_get_expr(x.indexprs, x.indrelid) end as exprs,
         case when x.indpred is null then '' else pg_get_expr(x.indpred, x.indrelid) end  as pred
  from pg_index x
  join pg_class i on i.oid = x.indexrelid
  join pg_namespace n on n.oid = i.relnamespace
  where x.indisvalid
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and (cardinality($1::text[]) = 0 or n.nspname = any($1::text[]))
), found as (
  select distinct on (a.indexrelid)
         a.indexrelid, b.indexrelid as covering,
         case when a.keys = b.keys then 'duplicate' else 'redundant' end as kind
  from idx a
  join idx b on b.indrelid = a.indrelid and b.indexrelid <> a.indexrelid
            and b.relam = a.relam and b.pred = a.pred and b.exprs = a.exprs
  where not a.indisprimary
    and (
      (a.keys = b.keys and a.opclasses = b.opclasses and a.collations = b.collations
         and a.indnkeyatts = b.indnkeyatts
         and (b.indisprimary
              or (b.indisunique and not a.indisunique)
              or (b.indisunique = a.indisunique and a.indexrelid > b.indexrelid)))
      or (not a.indisunique and a.exprs = '' and a.indnatts = a.indnkeyatts
          and a.relam = (select oid from pg_am where amname = 'btree')
          and b.keys like a.keys || ' %' and b.opclasses like a.opclasses || ' %')
    )
  order by a.indexrelid, (a.keys = b.keys) desc, b.indisunique desc, b.indexrelid
)
select (select nspname from pg_namespace where oid = t.relnamespace) as schema,
       t.relname                                                as table,
       i.relname                                                as index,
       f.kind,
       c.relname                                                as covered_by,
       i.relpages::bigint * current_setting('block_size')::bigint as size_bytes,
       count(*) over ()                                         as matched
from found f
join pg_class i on i.oid = f.indexrelid
join pg_class c on c.oid = f.covering
join pg_index x on x.indexrelid = f.indexrelid
join pg_class t on t.oid = x.indrelid
order by size_bytes desc, schema, "table", index
limit $2::int
