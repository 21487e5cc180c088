import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { libpqEnv, type ConnectionConfig } from '../db/config.js';
import { TenantctlError } from '../errors.js';
import type { PgTool } from './tools.js';

/** What a finished client program printed. */
export interface ToolOutput {
  stdout: string;
  stderr: string;
  /** The exit code (0 unless `tolerateExit` let a failure through). */
  code: number;
}

/** How to run one client program. */
export interface RunToolOptions {
  /** The server and database it talks to; the password travels in PGPASSWORD, never argv. */
  connection?: ConnectionConfig;
  env: NodeJS.ProcessEnv;
  /** Aborting kills the program (Ctrl-C, SIGTERM). */
  signal?: AbortSignal;
  /** What the failure message calls this step, e.g. "dump of chunk-003". */
  what: string;
  /** Server settings for the program's sessions, added to PGOPTIONS, e.g. { synchronous_commit: 'off' }. */
  settings?: Record<string, string>;
  /** Resolve instead of rejecting on a non-zero exit (the caller reads stderr itself). @default false */
  tolerateExit?: boolean;
}

/** The watchdog each program runs under (see tool-guard.ts): compiled beside this file. */
const GUARD = fileURLToPath(new URL('./tool-guard.js', import.meta.url));

/** Error output is kept to its tail: a failing pg_restore of thousands of objects can print megabytes. */
const STDERR_KEEP = 16_384;

/** Was this error caused by the abort signal (the run was interrupted)? */
export function isAbort(error: unknown): boolean {
  return (error as { name?: string })?.name === 'AbortError' || (error as { code?: string })?.code === 'ABORT_ERR';
}

/**
 * Run pg_dump / pg_restore / psql and collect its output. A non-zero exit becomes a
 * TenantctlError quoting the program's own last error lines.
 *
 * The program runs under tool-guard (umask 0077, own process group, killed when our stdin
 * pipe to the guard closes), in a process group apart from ours: a Ctrl-C on the terminal
 * reaches only tenantctl, which aborts and stops the guard, which stops the program and its
 * workers. If tenantctl itself is SIGKILLed, the guard sees EOF and does the same.
 */
export function runTool(tool: PgTool, args: string[], options: RunToolOptions): Promise<ToolOutput> {
  const env = options.connection ? libpqEnv(options.connection, options.env) : { ...options.env };
  // Nothing may wait for a password on a terminal: a missing one must fail, not hang cron.
  env.PGCONNECT_TIMEOUT ??= '10';
  const extra = Object.entries(options.settings ?? {}).map(([name, value]) => `-c ${name}=${value}`);
  if (extra.length) env.PGOPTIONS = [env.PGOPTIONS, ...extra].filter(Boolean).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [GUARD, tool.path, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'], signal: options.signal, killSignal: 'SIGTERM', detached: true });
    // The guard's stdin stays open for as long as we live: its EOF is how it learns we died.
    child.stdin.on('error', () => undefined);
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (err.length > STDERR_KEEP * 2) err = err.slice(-STDERR_KEEP);
    });
    // An abort kills the guard; wait for 'close' (the program stopped) before reporting it,
    // so that nobody removes a folder the program is still writing into.
    child.on('error', (error) => {
      if (!isAbort(error)) reject(error);
    });
    child.on('close', (code, signal) => {
      child.stdin.destroy();
      const stdout = Buffer.concat(out).toString();
      if (code === 0 || (options.tolerateExit && code !== null && !options.signal?.aborted)) return resolve({ stdout, stderr: err, code: code ?? 0 });
      if (options.signal?.aborted) return reject(Object.assign(new Error(`${options.what} interrupted`), { name: 'AbortError' }));
      const lines = err.trim().split('\n').filter(Boolean);
      const last = lines.filter((l) => /error|fatal/i.test(l)).slice(-3);
      reject(
        new TenantctlError('BACKUP_TOOL_FAILED', `${options.what}: ${tool.name} exited with ${signal ?? code}: ${(last.length ? last : lines.slice(-3)).join(' | ') || '(no output)'}`, {
          hint: `Run the same step by hand to see all of ${tool.name}'s output, or check the server log.`,
          details: { tool: tool.name, exitCode: code, stderr: lines.slice(-20) },
        }),
      );
    });
  });
}

/** A running client program whose standard output is read as it comes. */
export interface ToolStream {
  /** The program's standard output: read it to the end (or destroy it) before awaiting `done`. */
  stdout: NodeJS.ReadableStream & AsyncIterable<Buffer>;
  /** Settles when the program has exited: rejects like runTool on a non-zero exit or an abort. */
  done: Promise<void>;
  /** Stop the program (the reader gave up); `done` still settles. */
  stop(): void;
}

/**
 * Run a client program (pg_restore writing a script to stdout) whose output is too large to
 * collect: the caller reads `stdout` as a stream, and the pipe's back-pressure holds the
 * program while the reader is busy. Same guard, environment and error text as runTool.
 */
export function streamTool(tool: PgTool, args: string[], options: RunToolOptions): ToolStream {
  const env = { ...options.env };
  env.PGCONNECT_TIMEOUT ??= '10';
  const child = spawn(process.execPath, [GUARD, tool.path, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'], signal: options.signal, killSignal: 'SIGTERM', detached: true });
  child.stdin.on('error', () => undefined);
  let err = '';
  let stopped = false;
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    if (err.length > STDERR_KEEP * 2) err = err.slice(-STDERR_KEEP);
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (error) => {
      if (!isAbort(error)) reject(error);
    });
    child.on('close', (code, signal) => {
      child.stdin.destroy();
      if (code === 0 || stopped) return resolve();
      if (options.signal?.aborted) return reject(Object.assign(new Error(`${options.what} interrupted`), { name: 'AbortError' }));
      const lines = err.trim().split('\n').filter(Boolean);
      reject(
        new TenantctlError('BACKUP_TOOL_FAILED', `${options.what}: ${tool.name} exited with ${signal ?? code}: ${lines.slice(-3).join(' | ') || '(no output)'}`, {
          hint: `Run the same step by hand to see all of ${tool.name}'s output.`,
          details: { tool: tool.name, exitCode: code, stderr: lines.slice(-20) },
        }),
      );
    });
  });
  done.catch(() => undefined);
  return {
    stdout: child.stdout,
    done,
    stop: () => {
      stopped = true;
      // Closing the guard's stdin is how it learns to stop the program and its process group.
      child.stdin.destroy();
      child.stdout.destroy();
    },
  };
}
