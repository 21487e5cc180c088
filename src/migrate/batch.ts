import type { Pool, Sql } from '../db/connect.js';
import { query, registryQuery } from '../db/queries.js';
import { AlreadyDone, assertIntact, lockAndCheck, record, type RunContext } from './apply.js';
import { BaselineNeeded, settle, unwrap } from './integrity.js';
import type { SchemaPlan } from './plan.js';
import { NeedsLocating, runSectionAtOnce } from './section.js';

/**
 * Several tenants' `migrate up` in one transaction, a savepoint each, their statements sent as
 * one pipeline: one write and one wait for the whole batch instead of four round trips, a
 * BEGIN and a COMMIT per tenant. Per tenant it is the same work as apply.ts's transaction
 * (the schema's lock, the applied check, the section, the issue-12 checks, the record), so a
 * tenant's migration and its bookkeeping still stand or fall together:
 * - a tenant whose statements fail, whose checks find a problem, or whose migration another run
 *   applied first is rolled back to its savepoint (which undoes only it and the tenants sent
 *   after it; those are sent again) and handed back to run alone, as before batches, which
 *   reports and records it exactly as it always has;
 * - the batch commits once: a crash before that loses the batch, none of which was reported
 *   or recorded as applied.
 * The checks know which of the transaction's work is this tenant's: what it created by the OID
 * watermark its lock-and-check took after the earlier tenants ran (integrity-after.sql), what it
 * altered by the transaction ids its records noted, once for the batch (batch-after.sql).
 * The cost: every tenant of a batch keeps its locks (ACCESS EXCLUSIVE on what its migration
 * altered) until the batch commits, so the application waits on a tenant for up to a batch's
 * time (RunOptions.batchSize).
 */

/** A plan that can join a batch: an `up` of a tenant schema whose files all run in a transaction and are not known to need running alone (RunContext.alone). */
export function batchable(plan: SchemaPlan, direction: 'up' | 'down', run: RunContext): boolean {
  return direction === 'up' && plan.scope === 'tenant' && !plan.spare && plan.migrations.length > 0
    && plan.migrations.every((m) => m.up.transaction && !run.alone.has(m.path) && !run.dropping.has(`up ${m.path}`));
}

/** How one tenant of a batch went: `ok`, or why it must run alone. */
type Sent = { ok: true } | { ok: false; reason: unknown };

/**
 * Send one tenant's statements without waiting: per file the lock-and-check, the section, the
 * checks and the record (the last three read the baseline the first noted on the server). The
 * tenant's savepoint opens its first section's query: the first lock-and-check runs before it,
 * so rolling back to it keeps that check's lock and settings, which undo nothing (the lock is
 * the schema's until the batch ends either way; the next lock-and-check notes its own baseline).
 * Settles once they have all answered.
 */
function sendTenant(tx: Sql, plan: SchemaPlan, savepoint: string, asyncCommit: boolean): Promise<Sent> {
  // postgres.js sends a query a fixed number of microtasks after something first waits on it.
  // The statements below are each awaited at once inside an async function (query(),
  // runSectionAtOnce …), so they go out in the order they are called.
  const steps: Promise<unknown>[] = [];
  for (const [i, migration] of plan.migrations.entries()) {
    const checked = lockAndCheck(tx, plan, migration, false, asyncCommit);
    steps.push(checked.then((c) => {
      if (c.applied) throw new AlreadyDone();
    }));
    steps.push(runSectionAtOnce(tx, plan, migration, migration.up, i === 0 ? `savepoint ${savepoint};\n` : ''));
    steps.push(assertIntact(tx, plan, migration, migration.up, null, checked.then((c) => c.baseline), true));
    steps.push(record(tx, plan, migration, 'up', null));
  }
  // In order: the first failure explains the rest (a failed statement aborts what follows it).
  return Promise.allSettled(steps).then((results): Sent => {
    const failed = results.find((r) => r.status === 'rejected');
    return failed ? { ok: false, reason: failed.reason } : { ok: true };
  });
}

/** The tenant (its index in `plans`) of each record the transaction holds, in order: each tenant still in it (not in `alone`) made one per file. */
const recordTenants = (plans: SchemaPlan[], alone: Set<number>): number[] =>
  plans.flatMap((plan, i) => (alone.has(i) ? [] : plan.migrations.map(() => i)));

/** What a batch did: the plans committed, and the ones to run alone (apply.ts), in their order. */
export interface BatchResult {
  applied: SchemaPlan[];
  alone: SchemaPlan[];
}

/**
 * Migrate `plans` (all batchable) in one transaction. Never throws for a tenant's failure: that
 * tenant is returned in `alone`. If the transaction itself fails (its COMMIT, the connection),
 * every plan is returned in `alone`, none applied.
 */
export async function applyBatch(sql: Pool, plans: SchemaPlan[], run: RunContext): Promise<BatchResult> {
  const alone = new Set<number>();
  const registry = plans[0]?.registry;
  if (!registry || plans.some((p) => p.registry !== registry)) throw new Error('a batch of tenants needs their one registry');
  try {
    await sql.begin(async (t) => {
      let from = 0;
      while (from < plans.length) {
        const sent = plans.slice(from).map((plan, k) => sendTenant(t, plan, `tenantctl_tenant_${from + k}`, run.asyncCommit));
        const records = recordTenants(plans, alone);
        const after = settle(query<{ culprit: number | null }>(t, 'migrate/batch-after', [records.map((i) => plans[i]!.schema)]));
        const rows = settle(registryQuery<{ missing: string }>(t, 'migrate/batch-registry-rows', registry, [plans.filter((_, i) => !alone.has(i)).map((p) => p.schema)]));
        let failedAt = -1;
        let reason: unknown;
        for (let k = 0; k < sent.length && failedAt < 0; k++) {
          const outcome = await sent[k]!;
          if (!outcome.ok) [failedAt, reason] = [from + k, outcome.reason];
        }
        await Promise.all([after, rows]);
        if (failedAt < 0) {
          const culprit = unwrap(await after)[0]!.culprit;
          // A registry row gone: which tenant removed it is not known here. The whole batch runs
          // alone, where each tenant's own check tells (integrity.ts).
          if (unwrap(await rows).length) throw new Error('a registry row of the batch is gone');
          if (culprit === null) return;
          if (records[culprit - 1] === undefined) throw new Error(`batch-after named record ${culprit} of ${records.length}`);
          failedAt = records[culprit - 1]!;
        }
        await Promise.all(sent);
        await t.unsafe(`rollback to savepoint tenantctl_tenant_${failedAt}`).simple();
        alone.add(failedAt);
        // A file that drops relations fails that way in every tenant: the rest of the batch, and
        // of the run, runs it alone. A failure with no position (to be located statement by
        // statement) may too (Citus refuses the whole text): the rest of this batch runs alone.
        if (reason instanceof BaselineNeeded) for (const migration of plans[failedAt]!.migrations) run.alone.add(migration.path);
        if (reason instanceof BaselineNeeded || reason instanceof NeedsLocating) {
          for (let k = failedAt + 1; k < plans.length; k++) alone.add(k);
          return;
        }
        from = failedAt + 1;
      }
    });
  } catch {
    return { applied: [], alone: plans };
  }
  return { applied: plans.filter((_, i) => !alone.has(i)), alone: plans.filter((_, i) => alone.has(i)) };
}
