-- {{scope.index.rows}} of index-duplicates.sql when a few schemas are named (--schema,
-- --tenant): the pg_index rows of their tables' indexes, through pg_depend's index (every
-- table depends on its schema) and pg_index's on indrelid, instead of all of pg_index.
-- `scope` is the statement's CTE of the schemas' oids.
-- (`in`, not a join: a relation listed twice in pg_depend would not count its indexes twice.)
(select xi.*
 from pg_catalog.pg_index xi
 where xi.indrelid in (select d.objid
                       from scope s
                       join pg_catalog.pg_depend d on d.refclassid = 'pg_catalog.pg_namespace'::regclass and d.refobjid = s.oid
                                                  and d.classid = 'pg_catalog.pg_class'::regclass and d.objsubid = 0))
