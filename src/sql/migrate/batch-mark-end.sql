-- Inside a batch's tenant text (batch.ts), after a migration's section (search_path is back to its
-- default): completes the entry batch-mark-start.sql began with `,oid,deleted,writes`.
-- - oid: the highest OID of pg_class now, and, when the migration deleted pg_class rows, of the
--   relations we hold ACCESS EXCLUSIVE locks on: every relation the migration created is below
--   it (a relation is locked by the transaction that creates it, and one it dropped again, a
--   table rewrite's transient heap, a scratch table, is among the locks), and every relation
--   created after it is above it. batch-after.sql gives each relation that is gone to the
--   migration whose range holds it. pg_locks (as costly as the server's lock table is large) is
--   read only when the migration dropped a relation.
-- - deleted, writes: as at the start; batch-after.sql takes the differences.
-- Prepared once per batch, and answers a boolean, as batch-mark-start.sql. {{writes}}:
-- batch-begin.sql's `writes`.
select set_config('tenantctl.batch_marks',
                  concat(current_setting('tenantctl.batch_marks'), ',',
                         greatest((select max(c.oid) from pg_catalog.pg_class c),
                                  case when pg_stat_get_xact_tuples_deleted('pg_catalog.pg_class'::regclass)
                                            > current_setting('tenantctl.mark_deleted')::bigint
                                       then (select max(l.relation)
                                             from pg_catalog.pg_locks l
                                             where l.pid = pg_backend_pid()
                                               and l.locktype = 'relation'
                                               and l.mode = 'AccessExclusiveLock')
                                  end), ',',
                         pg_stat_get_xact_tuples_deleted('pg_catalog.pg_class'::regclass), ',', {{writes}}),
                  true) is not null as noted;
