-- Is the target of a tenant restore free? $1 handle (slug), $2 schema name. The registry is the profile's.
select exists (select 1 from {{registry}} where {{registry.handle}}::text = $1)   as slug_taken,
       exists (select 1 from pg_namespace where nspname = $2)                    as schema_taken
