-- Point unqualified names of the statements that follow, for the rest of this
-- transaction only, at the tenant's schema. $1 schema name (already validated).
select set_config('search_path', quote_ident($1), true) as search_path
