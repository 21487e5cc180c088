-- What DROP SCHEMA … CASCADE of a tenant's schema would also drop OUTSIDE it: objects of
-- other schemas that depend on one of its objects (another tenant's view over its table, a
-- table inheriting from its table, a column of its type, a default drawing on its sequence,
-- a foreign key to its table, a function whose body reads its table). Each would go silently
-- with the erasure, with the other tenant's rows where it is a table or a column.
-- The schema's objects come from pg_depend's index on the namespace (pg_class has no index
-- on relnamespace: thousands of tenant schemas); their dependents from its index on the
-- referenced object. A rule, default, trigger or policy has no schema of its own: its
-- table's. Internal and extension dependencies (a table's row type, an index) stay inside.
-- pg_identify_object names the schema quoted (quote_ident): a schema the application named
-- tenant_acme-corp is "tenant_acme-corp" there, so both sides are compared quoted.
-- $1 the tenant's schema name
with inside as (
    select d.classid, d.objid
    from pg_catalog.pg_depend d
    where d.refclassid = 'pg_catalog.pg_namespace'::regclass
      and d.refobjid = (select n.oid from pg_catalog.pg_namespace n where n.nspname = $1::text)
), dependents as (
    select distinct d.classid, d.objid, d.objsubid, d.refclassid, d.refobjid
    from inside i
    join pg_catalog.pg_depend d on d.refclassid = i.classid and d.refobjid = i.objid
    where d.deptype in ('n', 'a')
), described as (
    select o.type, o.identity,
           coalesce(o.schema, (
             select pg_catalog.quote_ident(n.nspname) from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
             where c.oid = case x.classid
                             when 'pg_catalog.pg_rewrite'::regclass then (select r.ev_class from pg_catalog.pg_rewrite r where r.oid = x.objid)
                             when 'pg_catalog.pg_attrdef'::regclass then (select a.adrelid from pg_catalog.pg_attrdef a where a.oid = x.objid)
                             when 'pg_catalog.pg_trigger'::regclass then (select t.tgrelid from pg_catalog.pg_trigger t where t.oid = x.objid)
                             when 'pg_catalog.pg_policy'::regclass then (select p.polrelid from pg_catalog.pg_policy p where p.oid = x.objid)
                           end)) as schema,
           u.identity as uses
    from dependents x
    cross join lateral pg_catalog.pg_identify_object(x.classid, x.objid, x.objsubid) o
    cross join lateral pg_catalog.pg_identify_object(x.refclassid, x.refobjid, 0) u
)
select type, identity, uses
from described
where schema is distinct from pg_catalog.quote_ident($1::text)
order by identity, uses
