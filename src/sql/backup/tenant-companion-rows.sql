-- One tenant's rows of a registry companion table (the profile's, commerce: subscriptions,
-- tenant_features, audit_logs) in a restored backup, as a JSON array text; $1 tenant id.
-- Compared as text: the scratch copy is read once, whatever the column's type.
select coalesce(json_agg(c), '[]')::text as rows from {{companion}} c where c.{{companion.column}}::text = $1
