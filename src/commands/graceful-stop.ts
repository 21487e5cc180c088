import type { Io } from '../context.js';
import { writeErr } from '../output/emit.js';

/**
 * Run `work` with an AbortSignal that the first SIGINT or SIGTERM aborts: `work` finishes what
 * is under way and starts nothing more, so its report (and its record) says how far it got.
 * The handlers are gone after that first signal, so a second one stops the process at once.
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
 * did): on SIGINT or SIGTERM say where it was (`where()`, read at that moment) and stop at once
 * (exit 130 / 143). An open transaction is rolled back by the server when the connection goes.
 */
export async function sayWhereOnStop<T>(io: Io, where: () => string, work: () => Promise<T>): Promise<T> {
  return whileHandling((signal) => {
    writeErr(io, `${signal} received: ${where()}`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  }, work);
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
