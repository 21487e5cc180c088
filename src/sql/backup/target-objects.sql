-- What a --target-url database already holds, which a restore would collide with or mix the
-- backup into: every schema but public, and every relation, function and type in any schema
-- (system schemas, and what an extension created, aside). A target must hold none of them.
-- Returns the total and the first ten, described.
with objects as (
  select 'schema ' || quote_ident(n.nspname) as object
  from pg_namespace n
  where n.nspname not in ('public', 'information_schema') and n.nspname !~ '^pg_'
    and not exists (select 1 from pg_depend d where d.classid = 'pg_namespace'::regclass and d.objid = n.oid and d.deptype = 'e')
  union all
  select case c.relkind when 'v' then 'view ' when 'm' then 'materialized view ' when 'S' then 'sequence ' when 'f' then 'foreign table ' when 'i' then 'index ' when 'I' then 'index ' when 'c' then 'type ' else 'table ' end
         || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  where n.nspname <> 'information_schema' and n.nspname !~ '^pg_' and c.relkind <> 't'
    and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
  union all
  select 'function ' || quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')'
  from pg_proc p
  join pg_namespace n on n.oid = p.pronamespace
  where n.nspname <> 'information_schema' and n.nspname !~ '^pg_'
    and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  union all
  -- Types of their own: a table's row type and an array type come with their owner.
  select 'type ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname)
  from pg_type t
  join pg_namespace n on n.oid = t.typnamespace
  where n.nspname <> 'information_schema' and n.nspname !~ '^pg_' and t.typrelid = 0 and t.typcategory <> 'A'
    and not exists (select 1 from pg_depend d where d.classid = 'pg_type'::regclass and d.objid = t.oid and d.deptype = 'e')
)
select (select count(*)::int from objects) as total,
       coalesce((select array_agg(object order by object) from (select object from objects order by object limit 10) o), '{}') as first
