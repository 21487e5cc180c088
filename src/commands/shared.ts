import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { type Io, noPromptsBecause } from '../context.js';
import { describeConnection, resolveConnection, type ConnectionConfig } from '../db/config.js';
import type { Pool } from '../db/connect.js';
import { promptCancelled, usageError } from '../errors.js';
import { writeErr } from '../output/emit.js';
import { style } from '../output/style.js';
import { explainRowSecurity } from '../pooled/session.js';
import type { TenancyProfile } from '../tenancy/profile.js';
import { BUILTIN_PROFILES, DEFAULT_PROFILE } from '../tenancy/profiles/index.js';
import { requestedProfile, resolveProfile } from '../tenancy/resolve-profile.js';

/** The options every command inherits from the root program. */
export interface GlobalOptions {
  databaseUrl?: string;
  /** --profile: the tenancy profile (else TENANTCTL_PROFILE, else the database's record). */
  profile?: string;
  json?: boolean;
  debug?: boolean;
}

/** Options of a command merged with the global ones. */
export function optionsOf<T>(command: Command): T & GlobalOptions {
  return command.optsWithGlobals() as T & GlobalOptions;
}

/**
 * Open a pool for one command, run `work`, always close the pool. Connection failures,
 * missing privileges and missing tables become errors that name the server, the role and
 * where the address came from (db/pg-errors.ts).
 * @param max pool size @default 4
 */
export async function withDatabase<T>(io: Io, options: GlobalOptions, work: (sql: Pool, config: ConnectionConfig) => Promise<T>, max = 4, pool: PoolOptions = {}): Promise<T> {
  // postgres.js loads here, with the first connection: commands register and print help without it.
  const [config, { connect, closePool }, { explainDatabaseError }] = await Promise.all([
    resolveConnection({ databaseUrl: options.databaseUrl, env: io.env, cwd: io.cwd }),
    import('../db/connect.js'),
    import('../db/pg-errors.js'),
  ]);
  // A person (or a --debug log) sees which database this is and why, before anything runs on it.
  if (io.stderrIsTTY || options.debug) writeErr(io, style(io, 'dim', `database: ${describeConnection(config)}`));
  // The tool's own sessions: row-level security off, so it errors rather than sees 0 rows.
  const sql = connect(config, { max, rowSecurity: false, detachable: true, settings: pool.settings, debug: options.debug ? (q) => writeErr(io, `sql: ${q.replace(/\s+/g, ' ').slice(0, 200)}`) : undefined });
  let failed = true;
  try {
    const result = await work(sql, config);
    failed = false;
    return result;
  } catch (error) {
    // Without a profile, a missing registry of any built-in profile is recognised as one.
    throw explainDatabaseError(explainRowSecurity(error), config, BUILTIN_PROFILES.map((p) => p.registry));
  } finally {
    // After a failure a statement may still be running on another connection, holding its
    // transaction's locks: the command returns only once the server has ended its backends, so
    // that the next command never finds a lock of this one still held. After success every
    // transaction has committed and every session lock was released (closePool() checks).
    await closePool(sql, failed && (pool.waitForClose ?? true));
  }
}

/** How withDatabase opens and closes its pool. */
export interface PoolOptions {
  /** More session settings, sent when each connection starts (migrate's --lock-timeout: lock_timeout). */
  settings?: Record<string, string>;
  /**
   * false: return without waiting for the server to end the backends even after a failure.
   * Only for read-only commands that hold no session-level lock. @default true
   */
  waitForClose?: boolean;
}

/** The profile named by --profile or TENANTCTL_PROFILE (no database needed), for checks before connecting. */
export function profileRequested(io: Io, options: GlobalOptions): TenancyProfile | undefined {
  return requestedProfile(BUILTIN_PROFILES, { flag: options.profile, env: io.env.TENANTCTL_PROFILE });
}

/**
 * `withDatabase`, with the tenancy profile resolved once for the command: --profile, else
 * TENANTCTL_PROFILE, else what the database recorded, else commerce. A flag that disagrees
 * with the record is a usage error naming both.
 */
export async function withProfile<T>(io: Io, options: GlobalOptions, work: (sql: Pool, profile: TenancyProfile, config: ConnectionConfig) => Promise<T>, max = 4, pool: PoolOptions = {}): Promise<T> {
  profileRequested(io, options); // an unknown name fails before connecting
  return withDatabase(io, options, async (sql, config) => {
    const { profile, source } = await resolveProfile(sql, BUILTIN_PROFILES, { flag: options.profile, env: io.env.TENANTCTL_PROFILE }, DEFAULT_PROFILE);
    if (options.debug) writeErr(io, `profile ${profile.name} (from ${source})`);
    try {
      return await work(sql, profile, config);
    } catch (error) {
      // The profile is known here: a missing relation is "registry missing" only when it is this profile's registry.
      const { explainDatabaseError } = await import('../db/pg-errors.js');
      throw explainDatabaseError(explainRowSecurity(error), config, [profile.registry]);
    }
  }, max, pool);
}

/**
 * The largest count, limit or size a flag takes: PostgreSQL's integer. Several flags go to the
 * server as `int` or `bigint` parameters, where a larger number failed as an unexplained
 * "out of range" error instead of a usage error; no count of tenants, rows or workers comes near it.
 */
const MAX_FLAG_NUMBER = 2_147_483_647;

/**
 * commander parser for a whole number from `least` to MAX_FLAG_NUMBER, written in decimal
 * digits. Number() alone reads "" and " " as 0, "0x10" as 16 and "1e3" as 1000: a cron line's
 * `--keep-days "$KEEP"` with KEEP unset would have pruned every backup.
 */
function wholeNumber(name: string, least: number): (value: string) => number {
  return (value: string) => {
    const n = /^[0-9]+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n) || n < least || n > MAX_FLAG_NUMBER) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${least} to ${MAX_FLAG_NUMBER} (got "${value}").`);
    }
    return n;
  };
}

/**
 * commander parser for a lock wait as PostgreSQL's lock_timeout takes it: a whole number of
 * milliseconds, or with a unit (ms, s, min). Checked here so that a typo is a usage error, not a
 * refused connection.
 */
export function lockDuration(name: string): (value: string) => string {
  return (value: string) => {
    const m = /^\s*([0-9]{1,9})\s*(ms|s|min)?\s*$/.exec(value);
    if (!m) throw new InvalidArgumentError(`${name} must be a duration such as 500ms, 5s or 1min (got "${value}").`);
    return `${m[1]}${m[2] ?? 'ms'}`;
  };
}

/** commander parser for a positive whole number. */
export function positiveInt(name: string): (value: string) => number {
  return wholeNumber(name, 1);
}

/** commander parser for a whole number ≥ 0. */
export function nonNegativeInt(name: string): (value: string) => number {
  return wholeNumber(name, 0);
}

/** commander collector for repeatable flags (`--tenant a --tenant b`, or `--tenant a,b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/**
 * Ask for a yes/no confirmation on a TTY; in scripts the `--yes` flag is required and its
 * absence is a usage error that names it.
 */
export async function confirmOrRequireYes(io: Io, options: { yes?: boolean }, question: string, what: string): Promise<void> {
  if (options.yes) return;
  if (!io.interactive) throw usageError(`${what} needs confirmation: pass --yes (${noPromptsBecause(io)}).`, `Re-run with --yes once you have checked the plan (try --dry-run).`);
  const { confirm, isCancel } = await import('@clack/prompts');
  const answer = await confirm({ message: question, initialValue: false, input: io.stdin, output: io.stderr });
  if (isCancel(answer)) throw promptCancelled();
  // Answering no is an answer, not an interruption: the command line did not consent (exit 2).
  if (answer !== true) throw usageError(`${what} cancelled.`, 'Nothing was changed.');
}

/** `--no-wait`: the flag of every command that takes a tenant's lock. */
export const NO_WAIT_HELP = 'fail at once (exit 75) if another command is working on this tenant, instead of waiting for it';

/** How a command says that it queues behind another one on a tenant: on stderr, on a terminal only. */
export function waitNotice(io: Io): (message: string) => void {
  return (message) => {
    if (io.stderrIsTTY) writeErr(io, message);
  };
}
