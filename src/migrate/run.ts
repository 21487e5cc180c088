import type { Pool, Sql } from '../db/connect.js';
import { query } from '../db/queries.js';
import { describeHolder, withSessionLock } from '../db/session-lock.js';
import { EXIT, TenantctlError } from '../errors.js';
import { FLEET_LOCK } from '../tenancy/locks.js';
import { applySchemaPlan, newRunContext, type RunContext, type SchemaOutcome } from './apply.js';
import { applyBatch, batchable } from './batch.js';
import { REMOTE_CONCURRENCY } from './concurrency.js';
import type { Plan } from './plan.js';
import { finishRun, startRun, type RunAudit } from './run-log.js';

/** The result of a run: every schema's outcome, shared first. */
export interface RunReport {
  direction: 'up' | 'down';
  shared?: SchemaOutcome;
  /** Each tenant the run applied, reverted, failed, did not run, skipped or listed as unchanged; tenants read as current (Plan.current) are only counted, in summary.upToDate. */
  tenants: SchemaOutcome[];
  summary: { tenants: number; applied: number; reverted: number; upToDate: number; failed: number; skipped: number; notRun: number };
  durationMs: number;
  ok: boolean;
  /** Spare schemas of the warm pool brought to the latest tenant migrations (or dropped), after a whole-fleet `up`. */
  pool?: { migrated: string[]; dropped: string[] };
  /** The run was asked to stop (RunOptions.signal): what was under way finished, the rest did not run. */
  interrupted?: boolean;
}

export interface RunOptions {
  /** Parallel tenant workers. The CLI chooses them by the server's address (concurrency.ts: defaultConcurrency). @default REMOTE_CONCURRENCY (8) */
  concurrency?: number;
  /**
   * Tenants of an `up` migrated in one transaction, a savepoint each (batch.ts): fewer round
   * trips and commits. Each keeps its locks until its batch commits. A worker takes no more
   * than its share of what is left, so a small fleet still spreads over the workers; 1 runs
   * every tenant in its own transaction. @default batches that follow how long a tenant takes, up to 32 (see runPlan)
   */
  batchSize?: number;
  /** Keep going after a tenant fails. @default false */
  continueOnError?: boolean;
  /** Fail at once when another run holds the fleet lock, instead of waiting. @default false */
  noWait?: boolean;
  onWait?: () => void;
  /**
   * Plan again from the fleet as it is once the lock is ours, when the run had to wait for it:
   * the run that held it has changed the fleet, and the plan made before waiting would send
   * migrations to schemas that are already at them (each would run, then roll back).
   */
  replan?: () => Promise<Plan>;
  /**
   * Stop starting schemas once aborted (SIGINT): those under way finish (each commits or rolls
   * back whole), the rest are reported as not run, and the run's record is closed.
   */
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, failed: number) => void;
  /** Who runs it and what a down run destroys, recorded in tenantctl.migration_runs. @default actor 'tenantctl' */
  audit?: RunAudit;
  /**
   * Work that must not interleave with another run's: `first` once the fleet lock is held, before
   * anything runs; `last` before it is released, whatever the run's outcome (after a failure,
   * the failure is what the run throws). `migrate up` records its profile there and removes a
   * record its run left unused (commands/migrate-run.ts). Both are handed the connection that
   * holds the lock.
   */
  locked?: { first: (lockConnection: Sql) => Promise<void>; last: (lockConnection: Sql) => Promise<void> };
}


/**
 * Hold the fleet lock for the whole run (session-level: it spans the per-migration
 * transactions and dies with the process). Per-schema locks inside each transaction still
 * guard against `tenant create` and erasure.
 */
function withFleetLock<T>(sql: Pool, options: RunOptions, work: (lockConnection: Sql) => Promise<T>): Promise<T> {
  return withSessionLock(
    sql,
    FLEET_LOCK,
    (holder) => {
      if (options.noWait) {
        throw new TenantctlError('MIGRATE_LOCKED', `Another tenantctl migrate run holds the fleet lock${describeHolder(holder)}.`, {
          hint: 'Wait for it to finish, or drop --no-wait to queue behind it.',
          details: { lock: FLEET_LOCK, holderPid: holder?.pid ?? null },
          exitCode: EXIT.locked,
        });
      }
      options.onWait?.();
    },
    work,
  );
}

/**
 * Most tenants in one transaction when --batch-size is not given. Each tenant's savepoint takes a
 * transaction id of its own, and PostgreSQL keeps at most 64 of a transaction's subtransaction ids
 * where other sessions look for them (PGPROC_MAX_CACHED_SUBXIDS): past 64, every snapshot in the
 * database has to read pg_subtrans while the batch is open. 32 leaves the other half to the
 * migrations' own subtransactions (a PL/pgSQL block with EXCEPTION is one). 32 took ~4 % less
 * time than 16 at 1,000 tenants, 64 ~4 % less again (BENCHMARKS.md).
 */
const DEFAULT_BATCH_SIZE = 32;
/** PGPROC_MAX_CACHED_SUBXIDS: a batch of more tenants than this makes every snapshot in the database read pg_subtrans. */
export const SUBXID_CACHE = 64;
/** By default a batch is expected to take at most this long: the longest a tenant's locks wait for the others of its batch. */
const BATCH_MS = 250;

/**
 * Execute a plan: shared first (up) or last (down), tenants in parallel workers. Every run
 * with something to do is recorded in tenantctl.migration_runs (run-log.ts) when it starts
 * and when it ends.
 * Durability: each schema's transaction commits without waiting for its WAL flush (a flush
 * per tenant was most of a small migration's cost), and the run's end record commits
 * synchronously before the report is returned. WAL is written in order and a synchronous
 * commit waits until it is flushed up to its own record, so once the end record is committed
 * every tenant commit before it is durable: no report claims what a server crash could lose.
 * If that record cannot be written, the run throws and reports nothing.
 */
export async function runPlan(sql: Pool, planned: Plan, options: RunOptions = {}): Promise<RunReport> {
  let waited = false;
  const onWait = () => {
    waited = true;
    options.onWait?.();
  };
  return withFleetLock(sql, { ...options, onWait }, async (lockConnection) => {
    await options.locked?.first(lockConnection);
    let finished = false;
    try {
      const report = await runHeld(sql, waited && options.replan ? await options.replan() : planned, options);
      finished = true;
      return report;
    } finally {
      await options.locked?.last(lockConnection).catch((error: unknown) => {
        if (finished) throw error;
      });
    }
  });
}

/** The run, under the fleet lock: recorded in tenantctl.migration_runs when it has something to do. */
async function runHeld(sql: Pool, plan: Plan, options: RunOptions): Promise<RunReport> {
  // Nothing to run (every selected schema at its files, no failure to clear): nothing
  // changes, so nothing is recorded (two commits saved). The lock is still taken, so that
  // --no-wait answers the same whether or not another run is under way.
  if (plan.tenants.length === 0 && !sharedHasWork(plan)) return runLocked(sql, plan, options, newRunContext(false));
  const runId = await startRun(sql, plan, options.audit);
  let report: RunReport | undefined;
  try {
    report = await runLocked(sql, plan, options, newRunContext(true));
    return report;
  } finally {
    await finishRun(sql, runId, report?.ok ?? false, report ? { ...report.summary, shared: report.shared?.outcome ?? null, durationMs: report.durationMs } : { error: 'the run stopped with an error' });
  }
}

/** The shared target has files to run, or a failure on record that a clean pass clears (apply.ts). */
const sharedHasWork = (plan: Plan): boolean => Boolean(plan.shared && (plan.shared.migrations.length > 0 || plan.shared.failed));

/** The run itself, under the fleet lock (or with nothing to run, see runPlan); `run` is shared by its schemas (apply.ts). */
async function runLocked(sql: Pool, plan: Plan, options: RunOptions, run: RunContext): Promise<RunReport> {
  const started = performance.now();
  const concurrency = Math.max(1, options.concurrency ?? REMOTE_CONCURRENCY);
  const report: RunReport = {
    direction: plan.direction,
    tenants: [],
    summary: { tenants: plan.tenants.length + plan.unchanged.length + (plan.current ?? 0) + plan.skipped.length, applied: 0, reverted: 0, upToDate: plan.current ?? 0, failed: 0, skipped: 0, notRun: 0 },
    durationMs: 0,
    ok: true,
  };
  let failedStop = false;
  const stopping = (): boolean => failedStop || Boolean(options.signal?.aborted);
  const runShared = async (): Promise<void> => {
    if (!plan.shared) return;
    if (!sharedHasWork(plan)) {
      report.shared = { scope: 'shared', schema: plan.shared.schema, outcome: 'up-to-date', versions: [], durationMs: 0 };
      return;
    }
    report.shared = await applySchemaPlan(sql, plan.shared, plan.direction, run);
    if (report.shared.outcome === 'failed') failedStop = true;
  };
  if (plan.direction === 'up') await runShared();
  const outcomes: SchemaOutcome[] = new Array(plan.tenants.length);
  let next = 0;
  let finished = 0;
  let failed = 0;
  const settle = (index: number, outcome: SchemaOutcome): void => {
    outcomes[index] = outcome;
    finished += 1;
    if (outcome.outcome === 'failed') {
      failed += 1;
      // A transaction:false statement reached outside its schema and is committed: it would do
      // so again in every schema, so the run stops even with --continue-on-error.
      if (!options.continueOnError || outcome.error?.code === 'MIGRATION_INTEGRITY_COMMITTED') failedStop = true;
    }
    options.onProgress?.(finished, plan.tenants.length, failed);
  };
  // Each tenant of a batch keeps its locks until the batch commits. Asked for (--batch-size),
  // batches are that size. By default they follow how long a tenant takes: the first tenant
  // runs alone and measures the migration, and each batch is at most twice the last and no
  // longer than BATCH_MS by the latest figure, so a slow migration (a table rewrite, a big
  // index) runs one tenant per transaction and the application never waits on a tenant for
  // 31 others' rewrites, while a fast one reaches batches of 32.
  const fixed = options.batchSize !== undefined;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  let growing = fixed ? batchSize : 1;
  const measured = (msPerTenant: number): void => {
    if (!fixed) growing = Math.max(1, Math.min(batchSize, growing * 2, Math.floor(BATCH_MS / Math.max(msPerTenant, 1))));
  };
  /** The tenants from `first` that go together: batchable ones, at most the current batch size and a worker's share of what is left. */
  const batchEnd = (first: number): number => {
    const share = Math.min(growing, Math.ceil((plan.tenants.length - first) / concurrency));
    let end = first;
    while (end < plan.tenants.length && end - first < share && batchable(plan.tenants[end]!, plan.direction, run)) end += 1;
    return end;
  };
  const worker = async (): Promise<void> => {
    while (!stopping() && next < plan.tenants.length) {
      const first = next;
      const end = batchEnd(first);
      if (end - first < 2) {
        next += 1;
        const outcome = await applySchemaPlan(sql, plan.tenants[first]!, plan.direction, run);
        measured(outcome.durationMs);
        settle(first, outcome);
        continue;
      }
      next = end;
      const started = performance.now();
      const batch = await applyBatch(sql, plan.tenants.slice(first, end), run);
      const ms = (performance.now() - started) / (end - first);
      measured(ms);
      for (const t of batch.applied) settle(plan.tenants.indexOf(t, first), { scope: 'tenant', schema: t.schema, slug: t.slug, outcome: 'applied', versions: t.migrations.map((m) => m.version), durationMs: ms });
      // Those the batch handed back run alone, as without batches (reported and recorded the same way).
      for (const t of batch.alone) {
        if (stopping()) break;
        settle(plan.tenants.indexOf(t, first), await applySchemaPlan(sql, t, plan.direction, run));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(plan.tenants.length, 1)) }, worker));
  plan.tenants.forEach((t, i) => {
    outcomes[i] ??= { scope: 'tenant', schema: t.schema, slug: t.slug, outcome: 'not-run', versions: [], durationMs: 0, reason: failedStop ? 'stopped after an earlier failure' : 'the run was interrupted before it' };
  });
  const stale = plan.unchanged.filter((u) => u.staleFailure).map((u) => u.schema);
  if (stale.length) await query(sql, 'migrate/clear-failures', [stale]);
  const unchanged = plan.unchanged.map((u): SchemaOutcome => ({ scope: 'tenant', schema: u.schema, slug: u.slug, outcome: 'up-to-date', versions: [], durationMs: 0, ...(u.staleFailure ? { reason: 'at the latest version: the failure recorded for it (a migration no longer pending) was cleared' } : {}) }));
  report.tenants = [...outcomes, ...unchanged, ...plan.skipped.map((s): SchemaOutcome => ({ scope: 'tenant', schema: s.schema, slug: s.slug, outcome: 'skipped', versions: [], durationMs: 0, reason: s.reason }))];
  if (plan.direction === 'down' && !stopping()) await runShared();
  for (const t of report.tenants) {
    if (t.outcome === 'applied') report.summary.applied += 1;
    else if (t.outcome === 'reverted') report.summary.reverted += 1;
    else if (t.outcome === 'up-to-date') report.summary.upToDate += 1;
    else if (t.outcome === 'failed') report.summary.failed += 1;
    else if (t.outcome === 'not-run') report.summary.notRun += 1;
    else if (t.outcome === 'skipped') report.summary.skipped += 1;
  }
  if (options.signal?.aborted) report.interrupted = true;
  report.ok = report.summary.failed === 0 && report.shared?.outcome !== 'failed' && !report.interrupted;
  report.durationMs = Math.round(performance.now() - started);
  return report;
}
