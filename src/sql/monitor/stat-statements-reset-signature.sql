-- The signature of pg_stat_statements_reset as the extension version installed here declares
-- it (no arguments before 1.7, (oid, oid, bigint) since, a boolean more since 1.11): GRANT
-- EXECUTE names a function by its argument types. Schema-qualified when its schema is not on
-- the search path.
select string_agg(p.oid::regprocedure::text, ', ' order by p.pronargs desc) as signature
from pg_proc p
join pg_depend d on d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e'
join pg_extension e on e.oid = d.refobjid and e.extname = 'pg_stat_statements'
where p.proname = 'pg_stat_statements_reset'
