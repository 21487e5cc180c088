-- What a --target-url database already holds, which a restore would collide with or mix the
-- backup into: every schema but public, and every relation, function and type in any schema
-- (system schemas, and what an extension created, aside). A target must hold none of them.
-- Returns the total and the first ten, described.
with extension_members as (
  select classid, objid from pg_depend where deptype = 'e'
), user_schemas as (
  select oid, nspname from pg_namespace where nspname <> 'information_schema' and nspname !~ '^pg_'
), objects as (
  select 'schema ' || quote_ident(n.nspname) as object
  from user_schemas n
  where n.nspname <> 'public'
    and ('pg_namespace'::regclass, n.oid) not in (select classid, objid from extension_members)
  union all
  select case c.relkind when 'v' then 'view ' when 'm' then 'materialized view ' when 'S' then 'sequence ' when 'f' then 'foreign table ' when 'i' then 'index ' when 'I' then 'index ' when 'c' then 'type ' else 'table ' end
         || quote_ident(n.nspname) || '.' || quote_ident(c.relname)
  from pg_class c
  join user_schemas n on n.oid = c.relnamespace
  where c.relkind <> 't'
    and ('pg_class'::regclass, c.oid) not in (select classid, objid from extension_members)
  union all
  select 'function ' || quote_ident(n.nspname) || '.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')'
  from pg_proc p
  join user_schemas n on n.oid = p.pronamespace
  where ('pg_proc'::regclass, p.oid) not in (select classid, objid from extension_members)
  union all
  -- Types of their own: a table's row type and an array type come with their owner.
  select 'type ' || quote_ident(n.nspname) || '.' || quote_ident(t.typname)
  from pg_type t
  join user_schemas n on n.oid = t.typnamespace
  where t.typrelid = 0 and t.typcategory <> 'A'
    and ('pg_type'::regclass, t.oid) not in (select classid, objid from extension_members)
)
select (select count(*)::int from objects) as total,
       coalesce((select array_agg(object order by object) from (select object from objects order by object limit 10) o), '{}') as first
