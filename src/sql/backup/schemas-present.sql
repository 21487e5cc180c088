-- Which of the schemas $1 (text[]) exist now (read outside the backup's snapshot): a tenant
-- erased while a backup runs loses its schema, and pg_dump must not be asked for it.
select nspname as schema from pg_namespace where nspname = any($1::text[])
