import { newSchemasAreDistributed } from '../citus/session.js';
import { reserveConnection, type Pool, type Sql, type Tx } from '../db/connect.js';
import { query } from '../db/queries.js';
import { noteSessionLock } from '../db/session-locks-held.js';
import { TenantctlError } from '../errors.js';
import { redact } from '../output/redact.js';
import type { Migration, MigrationSection } from './files.js';
import { inTransactionForm } from './provisioning-form.js';
import { schemaLockName } from '../tenancy/locks.js';
import { BaselineNeeded, fingerprintChanges, countersByTable, guardedRegistry, integrityProblem, outsideFingerprint, registryCatalog, registryProblem, settle, unwrap, watchedRegistry, type Baseline } from './integrity.js';
import type { SchemaPlan } from './plan.js';
import { TargetGone, targetGone } from './target-present.js';
import { describe, NeedsLocating, notTheFileHint, runSectionAtOnce, runStatements, searchPathFor, StatementFailed, type MigrationFailure } from './section.js';

export type { MigrationFailure } from './section.js';

/** What happened to one schema in a run. */
export interface SchemaOutcome {
  scope: 'shared' | 'tenant';
  schema: string;
  slug?: string;
  outcome: 'applied' | 'reverted' | 'up-to-date' | 'failed' | 'not-run' | 'skipped';
  versions: string[];
  durationMs: number;
  error?: MigrationFailure;
  reason?: string;
}

const INTEGRITY_HINT = 'A tenant migration may only change its own schema: qualify nothing outside it, and move changes to shared tables into a shared migration.';

/**
 * The check of integrity.ts as a located failure (the section's first line): the caller's
 * transaction is rolled back. Sends its statements before it first waits (integrityProblem).
 */
export async function assertIntact(tx: Sql, plan: SchemaPlan, migration: Migration, section: MigrationSection, inside: string[] | null, baseline: Baseline | Promise<Baseline>): Promise<void> {
  const problem = await integrityProblem(tx, plan, inside, baseline, section === migration.up ? 'up' : 'down');
  if (!problem) return;
  const failure = describe(new Error(`${problem}; rolled back, nothing of this migration was kept in ${plan.schema}.`), migration, section.statements[0]);
  throw new StatementFailed({ ...failure, code: 'MIGRATION_INTEGRITY', hint: INTEGRITY_HINT });
}

/**
 * A `transaction:false` section, statement by statement, each committed on its own: after
 * each one the registry and bookkeeping must be there and (tenant schemas) nothing outside
 * the schema may have changed (a fingerprint compared before and after). The first statement
 * that breaks this stops the section, named by file:line:column; it cannot be undone.
 */
async function runStatementsChecked(conn: Sql, plan: SchemaPlan, migration: Migration, section: MigrationSection): Promise<void> {
  const watchOutside = plan.scope === 'tenant';
  let before = watchOutside ? await outsideFingerprint(conn, plan.schema) : undefined;
  // A shared `up` must not make an existing registry vanish (integrity.ts: registryVerdict).
  const shared = { before: plan.scope === 'shared' ? (await registryCatalog(conn, plan))[0]!.registry : null, direction: section === migration.up ? 'up' as const : 'down' as const };
  for (const statement of section.statements) {
    try {
      await conn.unsafe(statement.text, [], { prepare: false });
    } catch (error) {
      throw new StatementFailed(await withInvalidIndexes(conn, plan, describe(error, migration, statement)));
    }
    // The registry and bookkeeping first: the fingerprint reads tenantctl.schema_state, and a
    // statement that dropped it would otherwise fail there, as if the file's own statement had.
    let problem = await registryProblem(conn, plan, shared);
    const after = !problem && watchOutside ? await outsideFingerprint(conn, plan.schema) : undefined;
    problem ??= before && after ? fingerprintChanges(before, after, plan.schema) : undefined;
    if (problem) {
      const failure = describe(new Error(`${problem}. This statement ran outside a transaction (transaction:false) and is committed; the run stopped here, the rest of ${migration.path} did not run and it is not recorded as applied in ${plan.schema}.`), migration, statement);
      throw new StatementFailed({ ...failure, code: 'MIGRATION_INTEGRITY_COMMITTED', hint: `${INTEGRITY_HINT} Repair what the statement changed by hand (or from a backup) before running again.` });
    }
    before = after;
  }
  // A retried `CREATE INDEX CONCURRENTLY IF NOT EXISTS` skips the INVALID index its failed run left.
  const invalid = await invalidIndexes(conn, plan);
  if (invalid.length) {
    const last = section.statements[section.statements.length - 1];
    const failure = describe(new Error(`${invalidList(plan, invalid)} INVALID: it enforces nothing and is never read, and a CREATE INDEX … IF NOT EXISTS skips it. ${migration.path} is not recorded as applied in ${plan.schema}.`), migration, last);
    throw new StatementFailed({ ...failure, code: 'MIGRATION_INVALID_INDEX', hint: invalidHint(plan, invalid) });
  }
}

type InvalidIndex = { name: string; table: string };

/** The schema's INVALID indexes (migrate/invalid-indexes.sql). */
const invalidIndexes = (conn: Sql, plan: SchemaPlan): Promise<InvalidIndex[]> => query<InvalidIndex>(conn, 'migrate/invalid-indexes', [plan.schema]);

const invalidList = (plan: SchemaPlan, invalid: InvalidIndex[]): string =>
  `${invalid.length === 1 ? 'index' : 'indexes'} ${invalid.map((i) => `${plan.schema}.${i.name} (on ${i.table})`).join(', ')} ${invalid.length === 1 ? 'is' : 'are'}`;

const invalidHint = (plan: SchemaPlan, invalid: InvalidIndex[]): string =>
  `Drop ${invalid.length === 1 ? 'it' : 'them'} (${invalid.map((i) => `DROP INDEX CONCURRENTLY "${plan.schema}"."${i.name}"`).join('; ')}), fix what made the build fail (duplicate values for a UNIQUE index), then run the migration again.`;

/** A failed `transaction:false` statement: say so when it left INVALID indexes behind (a failed CREATE INDEX CONCURRENTLY does). */
async function withInvalidIndexes(conn: Sql, plan: SchemaPlan, failure: MigrationFailure): Promise<MigrationFailure> {
  const invalid = await invalidIndexes(conn, plan).catch(() => []);
  if (!invalid.length) return failure;
  return { ...failure, message: `${failure.message} (${invalidList(plan, invalid)} left INVALID)`, hint: invalidHint(plan, invalid) };
}

/** Record the migration and the schema's state in one statement, inside the migration's transaction (`ms` null: the server measures it, record-applied.sql). */
export async function record(sql: Sql, plan: SchemaPlan, migration: Migration, direction: 'up' | 'down', ms: number | null): Promise<void> {
  if (direction === 'up') await query(sql, 'migrate/record-applied', [plan.schema, plan.scope, migration.version, migration.name, migration.checksum, ms === null ? null : Math.round(ms)]);
  else await query(sql, 'migrate/record-reverted', [plan.schema, plan.scope, migration.version]);
}

/** How one migration's transaction runs (applyInTransaction). */
interface Attempt {
  /** `at-once` sends the section as one simple query; `by-statement` each statement on its own. */
  mode: 'at-once' | 'by-statement';
  /** List the schema's relations before the section (Baseline.inside), for a migration that drops any. */
  listInside: boolean;
  /** Commit without waiting for the WAL flush (RunContext.asyncCommit). */
  asyncCommit: boolean;
}

/** Another run applied (or reverted) the migration in this schema first: the transaction is rolled back. */
export class AlreadyDone extends Error {}

/** The baseline (migrate/lock-and-check) of one migration's transaction, taken under the schema's lock. Sent before it first waits. */
export async function lockAndCheck(tx: Sql, plan: SchemaPlan, migration: Migration, listInside: boolean, asyncCommit: boolean): Promise<{ applied: boolean; baseline: Baseline }> {
  const [row] = await query<{ applied: boolean; inside: string[] | null; guarded_names: string[]; writes: string[]; registry_before: boolean | null }>(tx, 'migrate/lock-and-check', [schemaLockName(plan.schema), plan.schema, migration.version, listInside, guardedRegistry(plan), asyncCommit, watchedRegistry(plan)]);
  const r = row!;
  return { applied: r.applied, baseline: { inside: r.inside, guarded: r.guarded_names, writes: countersByTable(r.guarded_names, r.writes), registryBefore: r.registry_before } };
}

/**
 * One migration in one transaction: lock the schema, skip if already applied, run, record.
 * `at-once` sends the lock-and-check and the section together (pipelined: one round trip);
 * when the check then says another run got there first, the section is rolled back.
 * `by-statement` serves to locate a failure the server gave no position for, and servers that
 * refuse the multi-statement text: Citus forwards some DDL on distributed tables, CREATE INDEX
 * among them, to the workers as the original query string in a prepared statement.
 */
async function applyInTransaction(sql: Pool, plan: SchemaPlan, migration: Migration, direction: 'up' | 'down', attempt: Attempt): Promise<boolean> {
  const section = direction === 'up' ? migration.up : migration.down!;
  return sql.begin(async (t) => {
    const started = performance.now();
    // The lock, the applied check and the bookkeeping's row counters, read before the section runs.
    const checking = lockAndCheck(t, plan, migration, attempt.listInside, attempt.asyncCommit);
    // Under the lock, in a statement of its own (lock-and-check's snapshot predates its wait):
    // is the tenant still there, or was it erased while we waited?
    const present = plan.scope === 'tenant' ? settle(targetGone(t, plan)) : undefined;
    const running = attempt.mode === 'at-once' ? runSectionAtOnce(t, plan, migration, section) : undefined;
    // Read in order: a failed check explains a failed section (the transaction was aborted), and
    // a tenant gone explains it too (its tables went with it).
    const [checked, ran] = await Promise.allSettled([checking, running]);
    if (checked.status === 'rejected') throw checked.reason;
    const gone = present && unwrap(await present);
    if (gone) throw new TargetGone(gone);
    const check = checked.value;
    if (check.applied !== (direction === 'down')) throw new AlreadyDone();
    if (ran.status === 'rejected') throw ran.reason;
    if (attempt.mode === 'by-statement') await runStatements(t, plan, migration, section);
    // The record goes out with the checks (pipelined, one round trip for both; the checks read
    // the row counters before the record writes); a problem the checks find rolls both back.
    // Read in order: a failed check explains a failed record.
    const [intact, recorded] = await Promise.allSettled([assertIntact(t, plan, migration, section, check.baseline.inside, check.baseline), record(t, plan, migration, direction, performance.now() - started)]);
    if (intact.status === 'rejected') throw intact.reason;
    if (recorded.status === 'rejected') throw recorded.reason;
    return true;
  }).catch((error: unknown) => {
    if (error instanceof AlreadyDone) return false;
    throw error;
  });
}

/**
 * Run a transactional migration, rolled back and run again as often as it takes to learn how
 * (at most twice more): statement by statement when the whole text failed without a position
 * (then for the schema's later files too), and with the schema's relations listed when it
 * dropped relations (then for every schema of the run: `dropping` is shared by its workers).
 */
async function applyTransactional(sql: Pool, plan: SchemaPlan, migration: Migration, direction: 'up' | 'down', schema: Pick<Attempt, 'mode'>, run: RunContext): Promise<boolean> {
  const key = `${direction} ${migration.path}`;
  const dropping = run.dropping;
  for (;;) {
    try {
      return await applyInTransaction(sql, plan, migration, direction, { mode: schema.mode, listInside: dropping.has(key), asyncCommit: run.asyncCommit });
    } catch (error) {
      if (error instanceof NeedsLocating && schema.mode === 'at-once') schema.mode = 'by-statement';
      else if (error instanceof BaselineNeeded) dropping.add(key); // never thrown once they are listed
      else throw error;
    }
  }
}

/**
 * `transaction:false` files (CREATE INDEX CONCURRENTLY …) cannot run inside a transaction,
 * and a transaction-scoped lock would make CONCURRENTLY wait on ourselves; so they hold a
 * session-level lock on a reserved connection instead.
 */
async function applyWithoutTransaction(sql: Pool, plan: SchemaPlan, migration: Migration, direction: 'up' | 'down'): Promise<boolean> {
  const section = direction === 'up' ? migration.up : migration.down!;
  const conn = await reserveConnection(sql);
  const released = noteSessionLock(sql);
  try {
    await conn`select pg_advisory_lock(hashtextextended(${schemaLockName(plan.schema)}, 0))`;
    try {
      await conn`select set_config('search_path', ${searchPathFor(plan)}, false)`;
      const gone = plan.scope === 'tenant' ? await targetGone(conn, plan) : undefined;
      if (gone) throw new TargetGone(gone);
      const [row] = await conn`select exists (select 1 from tenantctl.schema_migrations where schema_name = ${plan.schema} and version = ${migration.version}) as applied`;
      if ((row as { applied: boolean }).applied !== (direction === 'down')) return false;
      const started = performance.now();
      await runStatementsChecked(conn, plan, migration, section);
      await record(conn, plan, migration, direction, performance.now() - started);
      return true;
    } finally {
      await conn`select pg_advisory_unlock(hashtextextended(${schemaLockName(plan.schema)}, 0)), set_config('search_path', '', false)`.then(released, () => undefined);
    }
  } finally {
    conn.release();
  }
}

/** What the schemas of one run share (run.ts makes one per run). */
export interface RunContext {
  /**
   * The migrations (direction and file) seen dropping relations in this run: only the first
   * schema runs such a file twice (applyTransactional).
   */
  dropping: Set<string>;
  /** Migration files (paths) that cannot join a batch of tenants in this run (batch.ts): one dropped relations. */
  alone: Set<string>;
  /**
   * Commit each migration's transaction without waiting for its WAL flush (synchronous_commit
   * off for that transaction only). Only for a caller that commits a synchronous record after
   * the last schema and before it reports anything: that commit flushes the WAL up to its own
   * record, so every earlier commit of the run is durable by then (run.ts, finishRun).
   * A transaction is still atomic and isolated; a server crash before that record can lose
   * the last commits, and then nothing has reported them.
   */
  asyncCommit: boolean;
}

/** A fresh RunContext for one run (or one schema applied on its own). */
export function newRunContext(asyncCommit: boolean): RunContext {
  return { dropping: new Set(), alone: new Set(), asyncCommit };
}

/**
 * untranslatable_character: the file is fine, the database's encoding cannot hold one of its
 * characters (Prometric's seed data holds Cyrillic, and a LATIN1 database cannot). Running
 * again changes nothing, and the file cannot be fixed by its user.
 */
const UNTRANSLATABLE = '22P05';
const ENCODING_HINT = "Not the file: the database's encoding (SHOW server_encoding) cannot store a character this migration writes. A database's encoding cannot change in place: create the database with ENCODING 'UTF8' (createdb -E UTF8 -T template0 …) and run the migrations there; nothing of this migration was kept.";

/** A failure whose cause is the server's state, not the file (a lock timeout, a deadlock, the database's encoding): said so, with what to do. */
function withTransientHint(failure: MigrationFailure): MigrationFailure {
  const hint = failure.code === UNTRANSLATABLE ? ENCODING_HINT : notTheFileHint(failure.code, 'Run again (`--only-failed` retries just the failed schemas); nothing of this migration was kept in this schema.');
  return hint && !failure.hint ? { ...failure, hint } : failure;
}

/**
 * Run a schema's plan, each migration atomically, and record the schema's outcome.
 * Pass one RunContext to every schema of a run.
 */
export async function applySchemaPlan(sql: Pool, plan: SchemaPlan, direction: 'up' | 'down', run: RunContext = newRunContext(false)): Promise<SchemaOutcome> {
  const started = performance.now();
  const done: string[] = [];
  const base = { scope: plan.scope, schema: plan.schema, slug: plan.slug };
  // Once a section needed replaying statement by statement, the schema's later files go that way directly.
  const schema: Pick<Attempt, 'mode'> = { mode: 'at-once' };
  for (const migration of plan.migrations) {
    const section = direction === 'up' ? migration.up : migration.down!;
    try {
      const ran = section.transaction ? await applyTransactional(sql, plan, migration, direction, schema, run) : await applyWithoutTransaction(sql, plan, migration, direction);
      if (ran) done.push(migration.version);
    } catch (error) {
      // Erased while the run waited for its lock: skipped, and nothing written about it.
      if (error instanceof TargetGone) return { ...base, outcome: 'skipped', versions: done, durationMs: performance.now() - started, reason: error.reason };
      const failure = withTransientHint(error instanceof StatementFailed ? error.failure : describe(error, migration, undefined));
      // Scrubbed as output is: a failed `create role … password '…'` would otherwise sit in the table (and its backups).
      await query(sql, 'migrate/record-state', [plan.schema, plan.scope, 'failed', done.at(-1) ?? null, redact(JSON.stringify(failure))]).catch(() => undefined);
      return { ...base, outcome: 'failed', versions: done, durationMs: performance.now() - started, error: failure };
    }
  }
  // Applied and reverted migrations recorded the state themselves; this marks a schema whose
  // files were all applied by a concurrent run as healthy again.
  if (done.length === 0) await query(sql, 'migrate/record-state', [plan.schema, plan.scope, 'ok', null, null]);
  const outcome = done.length === 0 ? 'up-to-date' : direction === 'up' ? 'applied' : 'reverted';
  return { ...base, outcome, versions: done, durationMs: performance.now() - started };
}

/** unsafe_new_enum_value_usage: an enum value used in the transaction that added it. */
const UNSAFE_NEW_ENUM_VALUE = '55P04';

/**
 * Why a file that ran on every existing tenant fails when a tenant is provisioned: there every
 * tenant migration runs in one transaction, and PostgreSQL lets a new enum value be used only
 * once the transaction that added it has committed.
 */
const ONE_TRANSACTION_ENUM_HINT = "Not the file alone: a new tenant gets every tenant migration in one transaction, and PostgreSQL lets an enum value be used only after the transaction that added it (ALTER TYPE … ADD VALUE) commits. Existing tenants, migrated one file per transaction, are not affected. For new tenants, no migration may use a value an earlier one added: use it from the application instead, or add it where the type is created. Nothing of this schema was kept.";

/**
 * Bring one schema to the given migrations INSIDE the caller's transaction (tenant
 * provisioning: the tenant row, its schema and its bookkeeping commit or vanish together).
 * Takes the same per-schema lock as `migrate up`, skips versions already recorded, and
 * records each one in tenantctl.schema_migrations and schema_state exactly as a fleet run does.
 *
 * Speed: each file's up section goes to the server as ONE simple-protocol query (one round
 * trip instead of one per statement) under a savepoint; only if it fails is the file
 * replayed statement by statement, under a second savepoint, to name the failing line.
 * When the new schema becomes a Citus distributed schema, statements go one by one from the
 * start (Citus refuses the whole text; see applyInTransaction).
 * Every failure throws (the caller's transaction is then doomed, as it should be).
 * `ensureBookkeeping` must have run before the caller's transaction began.
 * @returns the versions applied, in order
 */
export async function applyMigrationsInTransaction(tx: Tx, plan: SchemaPlan): Promise<string[]> {
  const applied: string[] = [];
  // A whole text that Citus would refuse is not worth sending first.
  const oneByOne = await newSchemasAreDistributed(tx);
  for (const file of plan.migrations) {
    // A lazily loaded file (createTenant's) is split and linted here, before any of it runs: a
    // refused statement fails with its own code (MIGRATION_TRANSACTION_CONTROL …), not as a failed run.
    void file.up.statements;
    // CREATE INDEX CONCURRENTLY and its kin run without the word on the new schema.
    const up = file.up.transaction ? file.up : inTransactionForm(file.up);
    if (!up) {
      throw new TenantctlError('MIGRATION_NEEDS_NO_TRANSACTION', `${file.path} is marked transaction:false and cannot run inside the provisioning transaction of ${plan.schema}: only CREATE INDEX, DROP INDEX and REINDEX … CONCURRENTLY can (without the word, on the new schema).`, {
        hint: 'A new tenant schema is provisioned by every tenant migration in one transaction: keep statements that cannot run in one (VACUUM, ALTER SYSTEM, …) out of the tenant migrations. CREATE INDEX CONCURRENTLY is fine.',
        details: { file: file.path, schema: plan.schema },
      });
    }
    const migration = up === file.up ? file : { ...file, up };
    const started = performance.now();
    // The schema's relations are listed up front: the caller's transaction cannot be run again.
    // Its commit is the caller's, and what the caller reports: synchronous.
    const { applied: done, baseline } = await lockAndCheck(tx, plan, migration, true, false);
    if (done) continue;
    const savepoint = tx.savepoint;
    try {
      await savepoint((sp) => (oneByOne ? runStatements : runSectionAtOnce)(sp, plan, migration, migration.up));
    } catch (whole) {
      try {
        // The server gave a position: located already. Otherwise replay to find the statement.
        if (!(whole instanceof NeedsLocating)) throw whole;
        await savepoint((sp) => runStatements(sp, plan, migration, migration.up));
        // Statement by statement it worked (it should not differ): keep going.
      } catch (error) {
        const original = whole instanceof NeedsLocating ? whole.original : whole;
        const failure = error instanceof StatementFailed ? error.failure : describe(original, migration, undefined);
        throw new TenantctlError('MIGRATION_FAILED', `${failure.file}:${failure.line}:${failure.column}: ${failure.message} (schema ${plan.schema})`, {
          hint: notTheFileHint(failure.code, 'Run the command again; nothing of this schema was kept.') ?? (failure.code === UNSAFE_NEW_ENUM_VALUE ? ONE_TRANSACTION_ENUM_HINT : 'Fix the migration file; nothing of this schema was kept.'),
          details: { ...failure },
          cause: error,
        });
      }
    }
    try {
      await assertIntact(tx, plan, migration, migration.up, baseline.inside, baseline);
    } catch (error) {
      const failure = (error as StatementFailed).failure;
      throw new TenantctlError('MIGRATION_INTEGRITY', `${failure.file}: ${failure.message}`, { hint: failure.hint, details: { ...failure } });
    }
    await record(tx, plan, migration, 'up', performance.now() - started);
    applied.push(migration.version);
  }
  // Every file of the plan is now applied (just now, or before): the schema stands at the last one.
  await query(tx, 'migrate/record-state', [plan.schema, plan.scope, 'ok', plan.migrations.at(-1)?.version ?? null, null]);
  return applied;
}
