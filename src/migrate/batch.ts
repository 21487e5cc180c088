import type { Pool, Sql } from '../db/connect.js';
import { randomBytes } from 'node:crypto';
import { query, registryName, registryQuery, sqlText } from '../db/queries.js';
import { schemaLockName } from '../tenancy/locks.js';
import { AlreadyDone, record, type RunContext } from './apply.js';
import { BaselineNeeded, guardedRegistry, settle, unwrap } from './integrity.js';
import type { SchemaPlan } from './plan.js';
import { NeedsLocating, runSectionAtOnce } from './section.js';

/**
 * Several tenants' `migrate up` in one transaction, a savepoint each, their statements sent as
 * one pipeline: one write and one wait for the whole batch instead of round trips, a BEGIN and a
 * COMMIT per tenant. A tenant's migration and its bookkeeping still stand or fall together, and
 * each tenant is checked as apply.ts checks one alone (the issue-12 checks), but once for the
 * whole batch instead of twice per tenant:
 * - first the schemas' locks (batch-lock.sql) and, under them, which migrations are applied
 *   already and the baseline of the checks (batch-begin.sql);
 * - per tenant one simple-protocol text: its savepoint, then per file a mark, the section and a
 *   mark again (batch-mark-start.sql, batch-mark-end.sql: what OIDs the file's objects have,
 *   whether it dropped relations or wrote tenantctl's tables), then the file's record;
 * - at the end batch-after.sql finds, from the marks and the records' transaction ids, the first
 *   tenant that created, dropped or altered something outside its schema or wrote the
 *   bookkeeping, and batch-registry-rows.sql whether a registry row is gone.
 * A tenant whose statements fail, whose migration another run applied first, or that the checks
 * name is rolled back to its savepoint (which undoes only it and the tenants sent after it;
 * those are sent again) and handed back to run alone, as before batches, which reports and
 * records it exactly as it always has. What the checks cannot pin on one tenant sends the whole
 * batch alone. The batch commits once: a crash before that loses the batch, none of which was
 * reported or recorded as applied.
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
const ok: Promise<Sent> = Promise.resolve({ ok: true });

/**
 * The marks (batch-mark-start.sql, batch-mark-end.sql) of one batch, prepared under names of its
 * own: parsed and planned once for the batch, not in every tenant. Names are new each batch, so a
 * batch that fails before its DEALLOCATE (a prepared statement outlives the transaction) leaves
 * nothing a later one could collide with, on this connection or behind a transaction pooler.
 */
function batchMarks(writes: string): { prepare: string; start: (index: number) => string; end: string; deallocate: string } {
  const name = `tenantctl_mark_${randomBytes(6).toString('hex')}`;
  const text = (file: string) => sqlText(`migrate/batch-mark-${file}`).replace('{{writes}}', writes);
  return {
    prepare: `prepare ${name}_start (integer) as ${text('start')}
prepare ${name}_end as ${text('end')}`,
    start: (index) => `execute ${name}_start(${index});
`,
    end: `execute ${name}_end;
`,
    deallocate: `deallocate ${name}_start; deallocate ${name}_end`,
  };
}

/**
 * Send one tenant's statements without waiting: its savepoint, each file's marks and section in
 * one text, then the file's record. Settles once they have all answered.
 */
function sendTenant(tx: Sql, plan: SchemaPlan, index: number, marks: ReturnType<typeof batchMarks>): Promise<Sent> {
  // postgres.js sends a query a fixed number of microtasks after something first waits on it.
  // The statements below are each awaited at once inside an async function (runSectionAtOnce,
  // query()), so they go out in the order they are called.
  const steps: Promise<unknown>[] = [];
  for (const [i, migration] of plan.migrations.entries()) {
    const opening = `${i === 0 ? `savepoint tenantctl_tenant_${index};\n` : ''}${marks.start(index)}`;
    steps.push(runSectionAtOnce(tx, plan, migration, migration.up, opening, marks.end));
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
  const files = plans.flatMap((p) => p.migrations.map((m) => ({ schema: p.schema, version: m.version })));
  try {
    await sql.begin(async (t) => {
      // The locks, then (a statement of its own, under them) what is applied already: one round
      // trip for the batch. A tenant another run migrated first runs alone, which says so.
      const locked = query(t, 'migrate/batch-lock', [plans.map((p) => schemaLockName(p.schema)), run.asyncCommit]);
      const [begun] = await Promise.all([query<{ applied: string[]; writes: string }>(t, 'migrate/batch-begin', [files.map((f) => f.schema), files.map((f) => f.version), guardedRegistry(plans[0]!)]), locked]);
      const { applied, writes } = begun[0]!;
      const marks = batchMarks(writes);
      // Sent before the first tenant's text, and read once the tenants have answered.
      const prepared = settle(t.unsafe(marks.prepare).simple());
      plans.forEach((p, i) => applied.includes(p.schema) && alone.add(i));
      let from = 0;
      while (from < plans.length) {
        const sent = plans.slice(from).map((plan, k) => (alone.has(from + k) ? ok : sendTenant(t, plan, from + k, marks)));
        const records = recordTenants(plans, alone);
        const after = settle(query<{ culprit: number | null; dropped: number | null; unexplained: string | null }>(t, 'migrate/batch-after', [records, plans.map((p) => p.schema), registryName(registry)]));
        const rows = settle(registryQuery<{ missing: string }>(t, 'migrate/batch-registry-rows', registry, [plans.filter((_, i) => !alone.has(i)).map((p) => p.schema)]));
        let failedAt = -1;
        let reason: unknown;
        for (let k = 0; k < sent.length && failedAt < 0; k++) {
          const outcome = await sent[k]!;
          if (!outcome.ok) [failedAt, reason] = [from + k, outcome.reason];
        }
        await Promise.all([after, rows]);
        if (failedAt < 0) {
          const verdict = unwrap(await after)[0]!;
          // What no one tenant can be blamed for (a registry row gone: which tenant removed it is
          // not known here) sends the whole batch alone, where each tenant's own checks tell.
          if (verdict.unexplained) throw new Error(verdict.unexplained);
          if (unwrap(await rows).length) throw new Error('a registry row of the batch is gone');
          const culprit = verdict.culprit ?? Infinity;
          const dropped = verdict.dropped ?? Infinity;
          if (culprit === Infinity && dropped === Infinity) break;
          failedAt = Math.min(culprit, dropped);
          if (plans[failedAt] === undefined || alone.has(failedAt) || failedAt < from) throw new Error(`batch-after named tenant ${failedAt} of ${plans.length}`);
          // A file that drops relations needs the schema's relations listed: alone.
          if (dropped <= culprit) reason = new BaselineNeeded();
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
          break;
        }
        from = failedAt + 1;
      }
      unwrap(await prepared);
      await t.unsafe(marks.deallocate).simple();
    });
  } catch {
    return { applied: [], alone: plans };
  }
  return { applied: plans.filter((_, i) => !alone.has(i)), alone: plans.filter((_, i) => alone.has(i)) };
}
