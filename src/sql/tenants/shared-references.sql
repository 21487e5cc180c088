-- Every table outside the tenant's own storage that holds rows keyed by a tenant id:
--   * single-column foreign keys to public.tenants(id), from any schema but the tenant's own;
--   * columns named tenant_id / organization_id of a uuid or text type, in any schema
--     that is not a tenant schema, WITH OR WITHOUT a foreign key (nocturne #101: tables
--     that carry a tenant id without a foreign key are what hand-kept lists miss).
-- tenantctl.erasure_receipts is excluded: receipts outlive the tenant by design.
-- public.tenants itself is not listed here (the caller deletes that row last).
-- $1 every tenant schema name (text[]), $2 this tenant's schema name
with fk as (
    select n.nspname as schema_name, c.relname as table_name, a.attname as column_name,
           'foreign key ' || con.conname ||
           case con.confdeltype when 'c' then ' (on delete cascade)' when 'n' then ' (on delete set null)'
                                when 'd' then ' (on delete set default)' else ' (no action)' end as found_by
    from pg_constraint con
    join pg_class c on c.oid = con.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
    where con.contype = 'f'
      and con.confrelid = 'public.tenants'::regclass
      and cardinality(con.conkey) = 1
      and con.confkey[1] = (select attnum from pg_attribute where attrelid = 'public.tenants'::regclass and attname = 'id')
      and n.nspname <> $2
      and c.oid <> 'public.tenants'::regclass
      -- A partition carries a clone of its parent's foreign key; deleting through the
      -- parent covers it, so the plan names the parent once.
      and not c.relispartition
), named as (
    select n.nspname, c.relname, a.attname, 'column ' || a.attname || ' (' || format_type(a.atttypid, a.atttypmod) || ')'
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p')
      and not c.relispartition
      and a.attnum > 0
      and not a.attisdropped
      and a.attname in ('tenant_id', 'organization_id')
      and a.atttypid in ('uuid'::regtype, 'text'::regtype, 'varchar'::regtype, 'bpchar'::regtype)
      and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\_toast%'
      and n.nspname not like 'pg\_temp%'
      and n.nspname <> all ($1::text[])
      and n.nspname <> $2
      and not (n.nspname = 'tenantctl' and c.relname = 'erasure_receipts')
      and c.oid <> 'public.tenants'::regclass
)
select schema_name, table_name, column_name,
       string_agg(found_by, '; ' order by found_by) as found_by,
       bool_or(found_by like 'foreign key%')       as has_foreign_key
from (select * from fk union all select * from named) x
group by schema_name, table_name, column_name
order by schema_name, table_name, column_name
