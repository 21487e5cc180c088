-- Every ordinary table of the database with the columns that could hold a tenant id as
-- text: uuid columns (compared by equality) and text-like, json and array columns
-- (searched as text). tenantctl.erasure_receipts is left out: it keeps tenant ids on purpose.
select n.nspname as schema_name,
       c.relname as table_name,
       coalesce(array_agg(a.attname::text order by a.attnum) filter (where a.atttypid = 'uuid'::regtype), '{}') as uuid_columns,
       coalesce(array_agg(a.attname::text order by a.attnum) filter (where a.atttypid <> 'uuid'::regtype), '{}') as text_columns
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
where c.relkind = 'r'
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname not like 'pg\_toast%'
  and n.nspname not like 'pg\_temp%'
  and not (n.nspname = 'tenantctl' and c.relname = 'erasure_receipts')
  and a.atttypid in ('uuid'::regtype, 'text'::regtype, 'varchar'::regtype, 'bpchar'::regtype, 'name'::regtype,
                     'json'::regtype, 'jsonb'::regtype, 'uuid[]'::regtype, 'text[]'::regtype, 'varchar[]'::regtype)
group by n.nspname, c.relname
order by n.nspname, c.relname
