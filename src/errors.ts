/**
 * The one error class of tenantctl. Every expected failure is a TenantctlError with a
 * stable `code`, a human message that says what happened and where, a `hint` that says
 * what to do next, and JSON-safe `details`. `src/cli.ts` maps `exitCode` to the process
 * exit code and prints the same fields under `--json`.
 */
export class TenantctlError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;
  readonly exitCode: number;

  constructor(
    code: string,
    message: string,
    options: { hint?: string; details?: Record<string, unknown>; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TenantctlError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? {};
    this.exitCode = options.exitCode ?? EXIT.failed;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, hint: this.hint, details: this.details };
  }
}

/** Documented exit codes (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  /** Another run holds the lock (`maintain`, `migrate --no-wait`): sysexits EX_TEMPFAIL, so cron wrappers can tell "busy" from "broken". */
  locked: 75,
  /** Stopped by SIGINT, or by Ctrl-C at a prompt (which reaches the prompt, not the process, as a signal would): 128 + 2. */
  interrupted: 130,
} as const;

/** A usage error: the command line is wrong. Exit code 2. */
export function usageError(message: string, hint?: string, details?: Record<string, unknown>): TenantctlError {
  return new TenantctlError('USAGE', message, { hint, details, exitCode: EXIT.usage });
}

/**
 * A prompt cancelled with Ctrl-C (or Escape): the person stopped the command, as SIGINT does
 * on any other command, so the same exit code 130 (README), never the usage error's 2.
 */
export function promptCancelled(): TenantctlError {
  return new TenantctlError('CANCELLED', 'Cancelled; nothing was changed.', { exitCode: EXIT.interrupted });
}

/** Narrow an unknown thrown value to a PostgreSQL error from postgres.js. */
export interface PgError extends Error {
  code: string;
  severity?: string;
  position?: string;
  detail?: string;
  hint?: string;
  where?: string;
  schema_name?: string;
  table_name?: string;
  column_name?: string;
  constraint_name?: string;
}

export function isPgError(error: unknown): error is PgError {
  return error instanceof Error && error.name === 'PostgresError' && typeof (error as PgError).code === 'string';
}
