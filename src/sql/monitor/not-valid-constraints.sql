-- CHECK and FOREIGN KEY constraints added NOT VALID and never validated: new rows are
-- checked, old rows never were, so the rule the schema promises may not hold. Run
-- ALTER TABLE … VALIDATE CONSTRAINT (it takes only a SHARE UPDATE EXCLUSIVE lock).
select n.nspname                                         as schema,
       c.relname                                         as table,
       con.conname                                       as constraint,
       case con.contype when 'f' then 'foreign key' else 'check' end as kind
from pg_constraint con
join pg_class c on c.oid = con.conrelid
join pg_namespace n on n.oid = c.relnamespace
where not con.convalidated
  and con.contype in ('c', 'f')
  and n.nspname !~ '^tenantctl_pool_[0-9]+$' -- the warm pool's spares are no tenant's
order by con.conname, n.nspname, c.relname
