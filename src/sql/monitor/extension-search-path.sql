-- For the rest of this transaction only, find pg_stat_statements in the schema it was
-- installed in (it need not be on the user's search_path).
select set_config('search_path', quote_ident($1) || ', pg_catalog', true) as search_path
