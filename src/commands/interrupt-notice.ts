import type { Io } from '../context.js';
import { writeErr, writeJson } from '../output/emit.js';
import { onStopSignals } from './graceful-stop.js';

/**
 * Say why the process stops when SIGINT or SIGTERM arrives during a command that has no handler
 * of its own (import, maintain, tenant create …): without one the process ended at once with
 * exit 130 and not a word, no JSON document under --json. Commands that handle the signal
 * themselves (migrate, backup, erase: graceful-stop.ts) register another listener; this one then
 * stays quiet and lets theirs speak. A second signal after theirs reaches this one alone.
 * @returns a function that removes the handlers
 */
export function noticeOnInterrupt(io: Io, json: boolean): () => void {
  return onStopSignals((signal) => {
    if (process.listenerCount(signal) > 1) return;
    const message = `${signal} received: stopped. What was already committed stays; the transaction under way is rolled back by the server as the connection closes.`;
    const hint = 'Run the command again: it starts from what is committed.';
    if (json) writeJson(io, { ok: false, error: { code: 'INTERRUPTED', message, hint, details: { signal } } });
    writeErr(io, `error: ${message}`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}
