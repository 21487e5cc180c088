-- Is the target of a tenant restore free? $1 slug, $2 schema name.
select exists (select 1 from public.tenants where slug = $1)          as slug_taken,
       exists (select 1 from pg_namespace where nspname = $2)         as schema_taken
