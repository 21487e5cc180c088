-- On a Citus worker (session with citus.override_table_visibility = off, so shards show):
-- every ordinary table with the columns that could hold a tenant id as text, like
-- tenants/scan-columns. Left out: the shells of distributed and reference tables (listed in
-- pg_dist_partition; reading one runs a distributed query over the whole cluster, while
-- their shards, which hold the rows, are scanned here one by one) and Citus's own schemas.
select n.nspname as schema_name,
       c.relname as table_name,
       coalesce(array_agg(a.attname::text order by a.attnum) filter (where a.atttypid = 'uuid'::regtype), '{}') as uuid_columns,
       coalesce(array_agg(a.attname::text order by a.attnum) filter (where a.atttypid <> 'uuid'::regtype), '{}') as text_columns
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
where c.relkind = 'r'
  and n.nspname not in ('pg_catalog', 'information_schema', 'citus', 'citus_internal', 'columnar', 'columnar_internal')
  and n.nspname not like 'pg\_toast%'
  and n.nspname not like 'pg\_temp%'
  and not exists (select 1 from pg_dist_partition p where p.logicalrelid = c.oid)
  and not (n.nspname = 'tenantctl' and c.relname like 'erasure\_receipts%')
  and a.atttypid in ('uuid'::regtype, 'text'::regtype, 'varchar'::regtype, 'bpchar'::regtype, 'name'::regtype,
                     'json'::regtype, 'jsonb'::regtype, 'uuid[]'::regtype, 'text[]'::regtype, 'varchar[]'::regtype)
group by n.nspname, c.relname
order by n.nspname, c.relname
