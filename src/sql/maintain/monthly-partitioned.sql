-- Range-partitioned tables keyed on one date/time column, with every partition's bounds as
-- UTC instants (the caller sets TimeZone to UTC for the transaction) and the current UTC month.
-- MINVALUE/MAXVALUE bounds do not match the pattern and come back null (not monthly).
select n.nspname as schema,
       c.relname as table,
       a.attname as key,
       to_char(date_trunc('month', now()), 'YYYY-MM') as current_month,
       coalesce((
         select jsonb_agg(jsonb_build_object(
                  'name', pc.relname,
                  'isDefault', pg_get_expr(pc.relpartbound, pc.oid) = 'DEFAULT',
                  'from', to_char(((regexp_match(pg_get_expr(pc.relpartbound, pc.oid), 'FROM \(''([^'']*)''\)'))[1])::timestamptz, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                  'to',   to_char(((regexp_match(pg_get_expr(pc.relpartbound, pc.oid), 'TO \(''([^'']*)''\)'))[1])::timestamptz, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
                order by pc.relname)
         from pg_inherits i
         join pg_class pc on pc.oid = i.inhrelid
         where i.inhparent = c.oid), '[]'::jsonb) as partitions
from pg_partitioned_table p
join pg_class c on c.oid = p.partrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_attribute a on a.attrelid = c.oid and a.attnum = p.partattrs[0]
where p.partstrat = 'r'
  and p.partnatts = 1
  and not c.relispartition
  and a.atttypid in ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype)
  and n.nspname not in ('pg_catalog', 'information_schema')
order by 1, 2
