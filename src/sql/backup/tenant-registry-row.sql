-- One tenant's registry row (the profile's registry) in a restored backup, as a JSON array
-- text (text, so no number passes through a JavaScript double); $1 tenant id.
select coalesce(json_agg(t), '[]')::text as rows from {{registry}} t where t.{{registry.key}}::text = $1
