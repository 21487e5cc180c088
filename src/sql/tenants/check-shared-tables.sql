-- profile check (schema per tenant): every table of the shared schemas (public and the
-- application's other schemas, not tenant schemas), with how it can hold tenant rows:
--   registry_columns  single-column foreign keys to the registry key (what erasure follows);
--   unindexed         those without an index leading with the column (each erasure scans the table);
--   tenant_like       columns named like a tenant key ($4) in no foreign key at all;
--   parents           its other foreign keys: parent table and ON DELETE action
--                     (a = no action, r = restrict, c = cascade, n = set null, d = set default).
-- $1 the registry (quoted qualified name), $2 its key column, $3 the shared schemas (text[]),
-- $4 the tenant-key name pattern (a regular expression)
with registry_key as (
    select attnum from pg_attribute where attrelid = $1::regclass and attname = $2
)
select n.nspname::text as schema_name,
       c.relname::text as table_name,
       (c.oid = $1::regclass) as is_registry,
       coalesce((
           select array_agg(a.attname::text order by a.attname)
           from pg_constraint con
           join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
           where con.conrelid = c.oid and con.contype = 'f' and con.confrelid = $1::regclass
             and cardinality(con.conkey) = 1 and con.confkey[1] = (select attnum from registry_key)
       ), '{}') as registry_columns,
       coalesce((
           select array_agg(a.attname::text order by a.attname)
           from pg_constraint con
           join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
           where con.conrelid = c.oid and con.contype = 'f' and con.confrelid = $1::regclass
             and cardinality(con.conkey) = 1
             and not exists (select 1 from pg_index i where i.indrelid = c.oid and i.indkey[0] = con.conkey[1])
       ), '{}') as unindexed,
       coalesce((
           select array_agg(a.attname::text order by a.attname)
           from pg_attribute a
           where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attname ~ $4
             and c.oid <> $1::regclass
             -- a column of any foreign key is that key's (account_id → accounts is no tenant key)
             and not exists (select 1 from pg_constraint con
                             where con.conrelid = c.oid and con.contype = 'f' and a.attnum = any(con.conkey))
       ), '{}') as tenant_like,
       coalesce((
           select jsonb_agg(jsonb_build_object('parent', pn.nspname || '.' || pc.relname, 'onDelete', con.confdeltype::text,
                                               'columns', (select array_agg(a.attname order by a.attnum) from pg_attribute a where a.attrelid = c.oid and a.attnum = any(con.conkey))))
           from pg_constraint con
           join pg_class pc on pc.oid = con.confrelid
           join pg_namespace pn on pn.oid = pc.relnamespace
           where con.conrelid = c.oid and con.contype = 'f' and con.confrelid <> $1::regclass and con.confrelid <> c.oid
       ), '[]') as parents
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where n.nspname = any($3::text[])
  and c.relkind in ('r', 'p')
  and not c.relispartition
order by n.nspname, c.relname
