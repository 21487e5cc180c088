-- {{scope.index.classes}} of indexes.sql when a few schemas are named (--schema, --tenant):
-- the pg_class rows of the indexes scope-index-rows.sql finds ({{scope.index.rows}}: each table
-- of the schemas by pg_depend's index, its indexes by pg_index's on indrelid), instead of a pass
-- over all of pg_class (seconds at 10,000 tenant schemas). An index lives in its table's schema.
(select i.*
 from {{scope.index.rows}} xi
 join pg_catalog.pg_class i on i.oid = xi.indexrelid)
