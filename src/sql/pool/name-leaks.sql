-- Where a spare's migrations wrote the spare's own name (current_schema() at the time, through
-- dynamic SQL or a seeded row) into what they made: a function body or setting, a view, a
-- default, a constraint, a policy, a trigger, an index expression, a comment, a row. The rename at
-- hand-out (pool/claim.sql) changes the schema's name, not those texts, so the tenant would get a
-- schema that names the spare where a create without the pool names the tenant. The one such
-- place the hand-out sets again is a function's search_path (claim.sql): not listed here.
-- Definitions are read as PostgreSQL prints them: the caller sets search_path to the spare first,
-- so that its own objects print unqualified (a reference resolved by OID follows the rename).
-- The schema's objects come from pg_depend's index on the namespace (pg_class and pg_proc have
-- no index on it); an index depends on its table instead, so indexes are found through the
-- tables. Names count too: a table, index, column, function, type, constraint, trigger or policy
-- named after the schema by dynamic SQL keeps the spare's name through the rename, as does an
-- enum's label. Rows are searched table by table through query_to_xml (dynamic SQL in one
-- statement, no function to install): a spare holds only what its migrations seeded.
-- $1 the spare's schema. Answers at most 10 places, named for a message.
with nsp as (
    select n.oid from pg_catalog.pg_namespace n where n.nspname = $1::text
), deps as (
    select d.classid, d.objid
    from pg_catalog.pg_depend d
    where d.refclassid = 'pg_catalog.pg_namespace'::regclass and d.refobjid = (select oid from nsp) and d.deptype = 'n'
), tables as (
    select c.oid, c.relname, c.relkind, c.relispartition
    from deps d join pg_catalog.pg_class c on d.classid = 'pg_catalog.pg_class'::regclass and c.oid = d.objid
), rels as (
    select * from tables
    union all
    select c.oid, c.relname, c.relkind, c.relispartition
    from tables t join pg_catalog.pg_index i on i.indrelid = t.oid join pg_catalog.pg_class c on c.oid = i.indexrelid
), types as (
    select t.oid, t.typname
    from deps d join pg_catalog.pg_type t on d.classid = 'pg_catalog.pg_type'::regclass and t.oid = d.objid
), funcs as (
    select p.oid, p.proname, p.prosrc, p.proconfig
    from deps d join pg_catalog.pg_proc p on d.classid = 'pg_catalog.pg_proc'::regclass and p.oid = d.objid
), found as (
    select format('the body of function %I()', f.proname) as place
    from funcs f
    where strpos(f.prosrc, $1::text) > 0 or strpos(coalesce(pg_catalog.pg_get_function_sqlbody(f.oid), ''), $1::text) > 0
    union all
    select format('the setting %s of function %I()', split_part(s.setting, '=', 1), f.proname)
    from funcs f cross join lateral unnest(f.proconfig) as s(setting)
    where s.setting not like 'search_path=%' and strpos(s.setting, $1::text) > 0
    union all
    select format('view %I', r.relname)
    from rels r
    where r.relkind in ('v', 'm') and strpos(pg_catalog.pg_get_viewdef(r.oid), $1::text) > 0
    union all
    select format('the default of %I.%I', r.relname, a.attname)
    from rels r
    join pg_catalog.pg_attrdef ad on ad.adrelid = r.oid
    join pg_catalog.pg_attribute a on a.attrelid = ad.adrelid and a.attnum = ad.adnum
    where strpos(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), $1::text) > 0
    union all
    select format('constraint %I of %I', k.conname, r.relname)
    from rels r join pg_catalog.pg_constraint k on k.conrelid = r.oid
    where strpos(pg_catalog.pg_get_constraintdef(k.oid), $1::text) > 0
    union all
    select format('constraint %I of domain %I', k.conname, t.typname)
    from types t
    join pg_catalog.pg_constraint k on k.contypid = t.oid
    where strpos(pg_catalog.pg_get_constraintdef(k.oid), $1::text) > 0
    union all
    select format('a label of enum %I', t.typname)
    from types t join pg_catalog.pg_enum e on e.enumtypid = t.oid
    where strpos(e.enumlabel::text, $1::text) > 0
    union all
    select format('the name of %I', r.relname) from rels r where strpos(r.relname::text, $1::text) > 0
    union all
    select format('the name of column %I.%I', r.relname, a.attname)
    from rels r join pg_catalog.pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped
    where r.relkind <> 'i' and strpos(a.attname::text, $1::text) > 0
    union all
    select format('the name of function %I()', f.proname) from funcs f where strpos(f.proname::text, $1::text) > 0
    union all
    select format('the name of type %I', t.typname) from types t where strpos(t.typname::text, $1::text) > 0
    union all
    -- through the tables and domains (pg_constraint's index by namespace leads with the name)
    select format('the name of constraint %I', k.conname)
    from (select k.conname from rels r join pg_catalog.pg_constraint k on k.conrelid = r.oid
          union all
          select k.conname from types t join pg_catalog.pg_constraint k on k.contypid = t.oid) k
    where strpos(k.conname::text, $1::text) > 0
    union all
    select format('the name of trigger %I on %I', tg.tgname, r.relname)
    from rels r join pg_catalog.pg_trigger tg on tg.tgrelid = r.oid and not tg.tgisinternal
    where strpos(tg.tgname::text, $1::text) > 0
    union all
    select format('the name of policy %I on %I', pol.polname, r.relname)
    from rels r join pg_catalog.pg_policy pol on pol.polrelid = r.oid
    where strpos(pol.polname::text, $1::text) > 0
    union all
    select format('policy %I on %I', pol.polname, r.relname)
    from rels r join pg_catalog.pg_policy pol on pol.polrelid = r.oid
    where strpos(coalesce(pg_catalog.pg_get_expr(pol.polqual, pol.polrelid), '') || ' ' || coalesce(pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid), ''), $1::text) > 0
    union all
    select format('trigger %I on %I', tg.tgname, r.relname)
    from rels r join pg_catalog.pg_trigger tg on tg.tgrelid = r.oid and not tg.tgisinternal
    where strpos(pg_catalog.pg_get_triggerdef(tg.oid), $1::text) > 0
    union all
    select format('index %I', r.relname)
    from rels r join pg_catalog.pg_index i on i.indexrelid = r.oid
    where strpos(coalesce(pg_catalog.pg_get_expr(i.indexprs, i.indrelid), '') || ' ' || coalesce(pg_catalog.pg_get_expr(i.indpred, i.indrelid), ''), $1::text) > 0
    union all
    select 'the comment on the schema'
    from pg_catalog.pg_description ds
    where ds.classoid = 'pg_catalog.pg_namespace'::regclass and ds.objoid = (select oid from nsp) and strpos(ds.description, $1::text) > 0
    union all
    select format('a comment on %s', pg_catalog.pg_describe_object(ds.classoid, ds.objoid, ds.objsubid))
    from deps d join pg_catalog.pg_description ds on ds.classoid = d.classid and ds.objoid = d.objid
    where strpos(ds.description, $1::text) > 0
    union all
    select format('the rows of %I', r.relname)
    from rels r
    where r.relkind in ('r', 'p') and not r.relispartition
      and (xpath('/row/n/text()', query_to_xml(format('select count(*) as n from %I.%I t where strpos(t::text, %L) > 0', $1::text, r.relname, $1::text), false, true, '')))[1]::text::bigint > 0
)
select place from found order by place limit 10
