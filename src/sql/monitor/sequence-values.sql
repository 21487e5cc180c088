-- Current values of a batch of sequences ($1 oids). pg_sequence_last_value reads (and
-- locks until the transaction ends) each sequence, so the caller sends batches: one
-- statement for 30,000 sequences would exhaust the shared lock table. Sequences under an
-- ACCESS EXCLUSIVE lock are skipped (null) rather than waited for; so are those this role
-- may not read (unreadable: the report says how many, the check cannot judge them).
with locked as (
  select distinct relation from pg_locks
  where locktype = 'relation' and mode = 'AccessExclusiveLock'
    and database = (select oid from pg_database where datname = current_database())
)
select r.oid::bigint as oid,
       case when r.oid not in (select relation from locked) and has_sequence_privilege(r.oid, 'SELECT,USAGE')
            then pg_sequence_last_value(r.oid)::text end as last_value,
       r.oid in (select relation from locked) as skipped,
       not has_sequence_privilege(r.oid, 'SELECT,USAGE') as unreadable
from unnest($1::oid[]) as r(oid)
