-- Turn an existing local schema into a distributed schema (its tables become one
-- colocation group on one node). $1 schema name.
select citus_schema_distribute($1::regnamespace)
