import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';

/**
 * Stream `source` into a `COPY … FROM STDIN` statement and settle exactly when the server
 * has accepted or rejected the data.
 *
 * Guard for porsager/postgres #1173 (3.4.9): when the server rejects the COPY after the
 * stream has ended (CopyDone sent), postgres.js never calls the writable's final callback,
 * so the pipeline never settles and a surrounding `sql.begin` never rolls back: the
 * connection leaks "idle in transaction (aborted)". The server's error does reach the
 * query object's `reject` (a no-op there, as the query already resolved with the
 * stream), so we listen on it and race it against the pipeline. Whichever settles first
 * decides; the caller's transaction then rolls back and the connection is reusable.
 */
export async function copyIn(statement: postgres.PendingQuery<postgres.Row[]>, source: Readable): Promise<void> {
  const query = statement as unknown as { reject: (error: unknown) => void };
  let serverError!: (error: unknown) => void;
  const rejected = new Promise<never>((_resolve, reject) => (serverError = reject));
  rejected.catch(() => undefined);
  const original = query.reject;
  query.reject = (error: unknown) => {
    serverError(error);
    original(error);
  };
  const writable = await statement.writable();
  const streamed = pipeline(source, writable);
  streamed.catch(() => undefined);
  try {
    await Promise.race([streamed, rejected]);
  } catch (error) {
    // The server said no: stop reading the input (the writable is left to postgres.js,
    // which already dropped it; destroying it would send a stray CopyFail).
    if (!source.destroyed) source.destroy();
    throw error;
  }
}
