-- For the rest of the transaction, the tenant's schema (a pooled profile's: the shared one) first
-- on the search_path, ahead of what the session had: provisioning statements name their tables
-- without a schema, and an import casts to the column's enum type by its bare name. The server's
-- default path ("$user", public) would resolve them to a schema named after the role when one
-- holds that name, and a path without the schema would not find them at all. The session's own
-- entries stay after it (extensions).
-- $1 the schema
select set_config('search_path', quote_ident($1) || coalesce(nullif(', ' || current_setting('search_path'), ', '), ''), true)
