/**
 * The tiny process every pg_dump / pg_restore / psql runs under (`node tool-guard.js <program>
 * <args…>`). It exists for the cases the parent cannot handle itself:
 * - the parent is killed with SIGKILL: its end of our stdin pipe closes, we see EOF and kill
 *   the program's whole process group (pg_dump -j forks workers), then exit;
 * - the parent is stopped with SIGTERM/SIGINT: it signals us, we stop the group;
 * - files the program writes hold tenant data: it runs under umask 0077, so they are 0600 in
 *   0700 folders from the first byte.
 * The program's stdout and stderr go straight to the parent; its exit code (or signal) is ours.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** How long the program gets to stop after STOP before SIGKILL: pg_dump cleans up quickly. */
const GRACE_MS = 3_000;

/**
 * How a stop reaches the program, whatever stopped us: SIGINT, the one signal all three answer
 * by cancelling their statement on the server before they exit (pg_dump and pg_restore treat
 * SIGINT and SIGTERM alike; psql cancels on SIGINT and ends its script, but dies of SIGTERM
 * without a word to the server, whose backend then runs the statement on, holding its locks,
 * until it next writes to the closed connection).
 */
const STOP: NodeJS.Signals = 'SIGINT';

const [program, ...args] = process.argv.slice(2);
if (!program) {
  process.stderr.write('tool-guard: no program given\n');
  process.exit(2);
}

process.umask(0o077);
let stopping: NodeJS.Signals | undefined;
let child: ChildProcess | undefined;
// Handlers before spawn(): once the program exists, a signal to us must reach it, not kill us.
process.stdin.on('end', () => stopGroup(STOP));
process.stdin.on('error', () => stopGroup(STOP));
process.stdin.resume();
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => stopGroup(STOP));

// detached: the program leads a process group of its own, so one kill reaches its workers too.
child = spawn(program, args, { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
if (stopping) stopGroup(stopping);

function stopGroup(signal: NodeJS.Signals): void {
  stopping ??= signal;
  // Not started yet: the line after spawn() passes the remembered signal on.
  if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
  if (signal !== 'SIGKILL') setTimeout(() => stopGroup('SIGKILL'), GRACE_MS).unref();
}

child.on('error', (error) => {
  process.stderr.write(`tool-guard: cannot start ${program}: ${error.message}\n`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  // Workers of the program (pg_dump -j) must not outlive it either.
  if (child.pid !== undefined) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Nothing left in the group: the normal case.
    }
  }
  process.exitCode = code ?? (signal ? 128 + (signalNumber(signal) ?? 0) : 1);
  process.stdin.destroy();
});

function signalNumber(signal: NodeJS.Signals): number | undefined {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return numbers[signal];
}
