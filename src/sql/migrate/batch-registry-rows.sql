-- At the end of a batch of tenants (batch.ts), before its commit: are the registry rows of the
-- batch's tenants still there? One statement for the batch instead of one a tenant
-- (integrity-tenant-row.sql is the same question for a tenant migrated alone). The transaction's
-- row counters of the registry (integrity-after.sql's `writes`) already catch a tenant that
-- deleted or updated rows of a plain table; this covers any registry (a partitioned table, whose
-- rows its partitions count).
-- $1 the batch's tenant schemas. Answers those whose row is missing.
select s.schema_name as missing
from unnest($1::text[]) as s(schema_name)
where not exists (select 1 from {{registry}} r where r.{{registry.target}} = s.schema_name)
