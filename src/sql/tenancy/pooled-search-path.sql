-- For the rest of the transaction, the pooled schema first on the search_path, ahead of what the
-- session had: the profiles' provisioning statements name their tables without a schema, and the
-- server's default path ("$user", public) would resolve them to a schema named after the role
-- when one holds a table of that name. The session's own entries stay after it (extensions).
-- $1 the pooled schema
select set_config('search_path', quote_ident($1) || coalesce(nullif(', ' || current_setting('search_path'), ', '), ''), true)
