-- Inside a batch's tenant text (batch.ts), after the tenant's savepoint and before a migration's
-- section: appends `;tenant,deleted,writes` to tenantctl.batch_marks, and notes when the migration
-- started (record-applied.sql measures its duration from there) and `deleted` on its own
-- (tenantctl.mark_deleted: batch-mark-end.sql reads it there, not parsed out of the marks).
-- - deleted: the transaction's count of deleted pg_class rows (a relation dropped);
-- - writes: its row writes to tenantctl's tables and the guarded registry.
-- batch-mark-end.sql completes the entry after the section; batch-after.sql compares the two.
-- Prepared once per batch (batch.ts) and executed in each tenant's simple-protocol text: planned
-- once, where parsing and planning it in every tenant cost three times its execution.
-- Answers a boolean, not the settings: set_config returns the whole of batch_marks, which grows
-- with every tenant of the batch, and the client would read it twice per tenant for nothing.
-- $1 the tenant's index in the batch; {{writes}}: batch-begin.sql's `writes`.
select set_config('tenantctl.batch_marks',
                  concat(current_setting('tenantctl.batch_marks'), ';', $1::integer, ',',
                         pg_stat_get_xact_tuples_deleted('pg_catalog.pg_class'::regclass), ',', {{writes}}),
                  true) is not null
   and set_config('tenantctl.mark_deleted', pg_stat_get_xact_tuples_deleted('pg_catalog.pg_class'::regclass)::text, true) is not null
   and set_config('tenantctl.migration_started', clock_timestamp()::text, true) is not null as noted;
