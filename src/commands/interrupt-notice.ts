import type { Io } from '../context.js';
import { writeErr, writeJson } from '../output/emit.js';
import { onStopSignals, stopAtOnce } from './graceful-stop.js';

/**
 * Say why the process stops when SIGINT or SIGTERM arrives during a command that has no handler
 * of its own (import, maintain, tenant create …): without one the process ended at once with
 * exit 130 and not a word, no JSON document under --json. Commands that handle the signal
 * themselves (migrate, backup, erase: graceful-stop.ts) register another listener; this one then
 * stays quiet and lets theirs speak. A second signal after theirs reaches this one alone.
 * It stops at once: the statement running on the server is cancelled first (stopAtOnce).
 * @returns a function that removes the handlers
 */
export function noticeOnInterrupt(io: Io, json: boolean): () => void {
  return onStopSignals((signal) => {
    if (process.listenerCount(signal) > 1) return;
    stopAtOnce(signal, (onServer, server) => {
      const message = `${signal} received: stopped. What was already committed stays; ${onServer}`;
      const hint = 'Run the command again: it starts from what is committed.';
      if (json) writeJson(io, { ok: false, error: { code: 'INTERRUPTED', message, hint, details: { signal, server } } });
      writeErr(io, `error: ${message}`);
    });
  });
}
