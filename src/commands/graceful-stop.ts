import type { Io } from '../context.js';
import { cancelInFlight, type CancelOutcome } from '../db/in-flight.js';
import { writeErr } from '../output/emit.js';

/**
 * Run `work` with an AbortSignal that the first SIGINT or SIGTERM aborts: `work` finishes what
 * is under way and starts nothing more, so its report (and its record) says how far it got.
 * The handlers are gone after that first signal, so a second one reaches the interrupt notice
 * (interrupt-notice.ts), which stops the process at once (stopAtOnce).
 * @returns the work's result and the signal that interrupted it, if any
 */
export async function withGracefulStop<T>(io: Io, what: string, work: (signal: AbortSignal) => Promise<T>): Promise<{ result: T; received?: NodeJS.Signals }> {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const result = await whileHandling((signal) => {
    received = signal;
    writeErr(io, `${signal} received: ${what} finishes what is under way and starts nothing more (send it again to stop at once)…`);
    controller.abort();
  }, () => work(controller.signal), true);
  return { result, ...(received ? { received } : {}) };
}

/**
 * Run `work`, which cannot stop half-way by itself (one transaction, then a check of what it
 * did): on SIGINT or SIGTERM stop at once (stopAtOnce: the statement running is cancelled, exit
 * 130 / 143) and say where it was (`where()`, read once the cancels are out: a commit that
 * was on its way has arrived by then) and what became of the statement.
 */
export async function sayWhereOnStop<T>(io: Io, where: () => string, work: () => Promise<T>): Promise<T> {
  return whileHandling((signal) => {
    stopAtOnce(signal, (onServer) => writeErr(io, `${signal} received: ${where()} ${onServer.charAt(0).toUpperCase()}${onServer.slice(1)}`));
  }, work);
}

/** How long a stopping process waits for the server to read its cancel requests: a dead network must not hold up Ctrl-C. */
const CANCEL_WAIT_MS = 2_000;

let stopping = false;

/** Is the process stopping at once? Then nothing else may speak or exit: stopAtOnce does both. */
export const stoppingAtOnce = (): boolean => stopping;

/**
 * Stop the process at once on `signal`, as psql does on Ctrl-C: first let the writes marked
 * letFinish (a log entry saying the run was interrupted) finish, then cancel on the server the
 * statements this process has running there (db/in-flight.ts; the server notices a closed
 * connection only when it next writes to it, so a long statement would run on, holding its
 * locks, and one outside a transaction would even commit), waiting at most CANCEL_WAIT_MS;
 * then `say` what became of them (`onServer`, a clause), and exit 130 (SIGINT) / 143 (SIGTERM).
 * Once called, further calls and signals change nothing.
 */
export function stopAtOnce(signal: NodeJS.Signals, say: (onServer: string, outcome: CancelOutcome) => void): void {
  if (stopping) return;
  stopping = true;
  // A signal while the cancels go out must not end the process before they are sent.
  onStopSignals(() => undefined);
  void cancelInFlight(CANCEL_WAIT_MS).then((outcome) => {
    say(onServerClause(outcome), outcome);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

/** What became of the work on the server, as a clause ("the transaction under way is rolled back …"). */
function onServerClause({ running, cancelled, notCancelled, concurrentIndexes }: CancelOutcome): string {
  if (running === 0) return 'the transaction under way is rolled back by the server as the connection closes.';
  // A CREATE INDEX CONCURRENTLY runs outside a transaction: cancelled, it leaves its index INVALID.
  const invalid = concurrentIndexes
    ? ` ${concurrentIndexes === 1 ? 'One of them built an index CONCURRENTLY' : `${concurrentIndexes} of them built indexes CONCURRENTLY`}: such a build leaves an INVALID index behind, which is not rolled back. Find it (select indexrelid::regclass from pg_index where not indisvalid), drop it with DROP INDEX CONCURRENTLY, then run again.`
    : '';
  if (notCancelled.length === 0) {
    return running === 1
      ? `the statement that was running on the server was cancelled, and what it had not committed is rolled back by the server.${invalid}`
      : `the ${running} statements that were running on the server were cancelled, and what they had not committed is rolled back by the server.${invalid}`;
  }
  const which = running === 1 ? 'the statement' : `${notCancelled.length} of the ${running} statements`;
  const why = [...new Set(notCancelled)].join('; ');
  return `the cancel of ${which} running on the server failed or was not confirmed (${why})${cancelled ? `; ${cancelled} were cancelled` : ''}: what it missed may still be running and holding its locks, and a statement outside a transaction may still commit. Find tenantctl's sessions in pg_stat_activity and end them with pg_cancel_backend(pid).`;
}

/**
 * `handler` answers SIGINT and SIGTERM while `work` runs, and is removed when it ends;
 * `once`: removed at the first signal too, so that a second one stops the process at once.
 */
async function whileHandling<T>(handler: (signal: NodeJS.Signals) => void, work: () => Promise<T>, once = false): Promise<T> {
  const off = onStopSignals((signal) => {
    if (once) off();
    handler(signal);
  });
  try {
    return await work();
  } finally {
    off();
  }
}

/** `handler` answers SIGINT and SIGTERM from now on; returns the function that removes it. */
export function onStopSignals(handler: (signal: NodeJS.Signals) => void): () => void {
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
