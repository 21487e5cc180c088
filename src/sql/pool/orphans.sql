-- Schemas named like a spare (tenantctl_pool_<n>) that the pool has no row for: the row was
-- deleted by hand, so nothing hands the schema out, migrates it or drops it. A spare that a
-- create takes is renamed in the same transaction as its row goes, and one being built is not
-- visible until its row is: neither shows here. A schema the registry names is a tenant's,
-- whatever its name, and never counts.
select n.nspname::text as schema_name
from pg_catalog.pg_namespace n
where n.nspname ~ '^tenantctl_pool_[0-9]+$'
  and not exists (select 1 from tenantctl.tenant_pool p where p.schema_name = n.nspname)
  and not exists (select 1 from {{registry}} r where r.{{registry.target}} = n.nspname::text)
order by n.nspname
