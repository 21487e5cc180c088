-- Every table outside the tenant's own storage that holds rows keyed by a tenant id:
--   * single-column foreign keys to the registry's key, from any schema but the tenant's own;
--   * columns named tenant_id / organization_id of a uuid or text type, in any schema
--     that is not a tenant schema, WITH OR WITHOUT a foreign key (nocturne #101: tables
--     that carry a tenant id without a foreign key are what hand-kept lists miss).
-- tenantctl.erasure_receipts is excluded: receipts outlive the tenant by design.
-- The registry itself is not listed here (the caller deletes that row last).
-- $1 every tenant schema name (text[]), $2 this tenant's schema name,
-- $3 the profile's registry table (quoted qualified name), $4 its key column
with fk as (
    select n.nspname as schema_name, c.relname as table_name, a.attname as column_name,
           'foreign key ' || con.conname ||
           case con.confdeltype when 'c' then ' (on delete cascade)' when 'n' then ' (on delete set null)'
                                when 'd' then ' (on delete set default)' else ' (no action)' end as found_by
    -- Found through pg_depend's index on the referenced table (every foreign key depends on
    -- the table it references), not by scanning pg_constraint: that holds every constraint
    -- of every tenant schema.
    from pg_depend d
    join pg_constraint con on con.oid = d.objid
    join pg_class c on c.oid = con.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = con.conrelid and a.attnum = con.conkey[1]
    where d.refclassid = 'pg_class'::regclass
      and d.refobjid = $3::regclass
      and d.classid = 'pg_constraint'::regclass
      and con.contype = 'f'
      and con.confrelid = $3::regclass
      and cardinality(con.conkey) = 1
      and con.confkey[1] = (select attnum from pg_attribute where attrelid = $3::regclass and attname = $4)
      and n.nspname <> $2
      and c.oid <> $3::regclass
      -- A partition carries a clone of its parent's foreign key; deleting through the
      -- parent covers it, so the plan names the parent once.
      and not c.relispartition
), shared_schemas as materialized (
    -- The schemas that are not tenant schemas: a handful, whatever the number of tenants.
    select n.oid, n.nspname
    from pg_namespace n
    where n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\_toast%'
      and n.nspname not like 'pg\_temp%'
      and not exists (select from unnest($1::text[]) t(schema_name) where t.schema_name = n.nspname)
      and n.nspname <> $2
      -- Spare tenant schemas of the warm pool (src/sql/pool/bootstrap.sql) hold no one's rows.
      and n.nspname !~ '^tenantctl_pool_[0-9]+$'
), shared_tables as materialized (
    -- Their tables. pg_class has no index on relnamespace, and with thousands of tenant
    -- schemas a scan of it (or of pg_attribute) is what made `tenant show` take seconds;
    -- pg_depend's index on the referenced object lists what each schema holds instead
    -- (every table depends on its schema).
    select c.oid, n.nspname, c.relname
    from shared_schemas n
    join pg_depend d on d.refclassid = 'pg_namespace'::regclass and d.refobjid = n.oid and d.classid = 'pg_class'::regclass
    join pg_class c on c.oid = d.objid
    where c.relkind in ('r', 'p')
      and not c.relispartition
      and not (n.nspname = 'tenantctl' and c.relname = 'erasure_receipts')
      and c.oid <> $3::regclass
), named as (
    -- pg_attribute by its (attrelid, attname) index, for those tables only (a lateral
    -- subquery, so the planner cannot swap it for a scan of all of pg_attribute).
    select st.nspname, st.relname, a.attname, 'column ' || a.attname || ' (' || format_type(a.atttypid, a.atttypmod) || ')'
    from shared_tables st
    cross join lateral (
        select a.attname, a.atttypid, a.atttypmod from pg_attribute a
        where a.attrelid = st.oid
          and a.attname in ('tenant_id', 'organization_id')
          and a.attnum > 0
          and not a.attisdropped
          and a.atttypid in ('uuid'::regtype, 'text'::regtype, 'varchar'::regtype, 'bpchar'::regtype)
        offset 0
    ) a
)
select schema_name, table_name, column_name,
       string_agg(found_by, '; ' order by found_by) as found_by,
       bool_or(found_by like 'foreign key%')       as has_foreign_key
from (select * from fk union all select * from named) x
group by schema_name, table_name, column_name
order by schema_name, table_name, column_name
