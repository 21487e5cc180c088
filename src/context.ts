import { userInfo } from 'node:os';
import type { Readable, Writable } from 'node:stream';

/**
 * What a command needs from the outside world, passed down explicitly so that tests can
 * give small fakes for terminals and clocks (never for the database).
 */
export interface Io {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
  /** Prompts and progress only when both stdin and stderr are terminals. */
  interactive: boolean;
  /** Progress lines only when stderr is a terminal. */
  stderrIsTTY: boolean;
  color: boolean;
  now: () => Date;
  cwd: string;
}

/**
 * Why there are no prompts (io.interactive false), as said in a message: "… (standard input is
 * not a terminal)". Prompts need stdin and stderr to be terminals, and CI unset.
 */
export function noPromptsBecause(io: Io): string {
  if (!(io.stdin as { isTTY?: boolean }).isTTY) return 'standard input is not a terminal';
  if (!io.stderrIsTTY) return 'standard error is not a terminal';
  return io.env.CI ? 'CI is set' : 'standard input is not a terminal';
}

/**
 * Who runs a command, for audit entries and erasure receipts when --actor is not given:
 * the operating-system user the process runs as, else USER / LOGNAME.
 */
export function defaultActor(env: NodeJS.ProcessEnv = process.env): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.LOGNAME ?? 'unknown';
  }
}

/** The real process's Io. */
export function processIo(): Io {
  const stderrIsTTY = Boolean(process.stderr.isTTY);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    interactive: Boolean(process.stdin.isTTY) && stderrIsTTY && !process.env.CI,
    stderrIsTTY,
    color: stderrIsTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb',
    now: () => new Date(),
    cwd: process.cwd(),
  };
}
