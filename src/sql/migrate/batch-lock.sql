-- The first statement of a batch of tenants' transaction (batch.ts), before any tenant's
-- savepoint (a rollback to one must not release a lock): the per-schema lock of every tenant of
-- the batch, in the batch's order, held until the batch commits, so that no two runs apply the
-- same migration twice. batch-begin.sql reads what is applied in a statement of its own: this
-- one's snapshot predates its waits.
-- $1 the lock names (tenancy/locks.ts), in order; $2 commit asynchronously (RunContext.asyncCommit:
-- run.ts makes its final record synchronous, which flushes every earlier commit)
select count(pg_advisory_xact_lock(hashtextextended(l.name, 0)))::integer as locked,
       case when $2::boolean then set_config('synchronous_commit', 'off', true) end as commit_mode
from unnest($1::text[]) with ordinality as l(name, ord)
