import { Readable, type Transform, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type postgres from 'postgres';

/**
 * Bytes gathered before a chunk goes down the pipeline. PostgreSQL sends one CopyData
 * message per row (~100 bytes) and postgres.js pushes each as its own chunk; passing them
 * on one by one costs a stream hand-off per row at every stage and a file write every few
 * rows. 1 MiB keeps that to one write per ~7,000 product rows for ~6 MiB in flight.
 */
export const COPY_OUT_BATCH_BYTES = 1 << 20;

type CopySource = Readable & { _read?: (size: number) => void };

/**
 * The rows of `source` regrouped into chunks of up to `size` bytes (one larger row passes
 * alone), in order. The source is paused only when `size × 4` bytes wait downstream.
 * Once the result is destroyed (the pipeline failed), the rest of the COPY is read and
 * dropped (see copyOut).
 */
function batched(source: CopySource, size: number): Readable {
  let batch = Buffer.allocUnsafe(size);
  let filled = 0;
  let discard = false;
  const out = new Readable({
    highWaterMark: 4 * size,
    read() {
      if (source.isPaused()) source.resume();
    },
    destroy(error, callback) {
      discard = true;
      source.resume();
      callback(error);
    },
  });
  const send = (chunk: Buffer): void => {
    if (!out.push(chunk)) source.pause();
  };
  const flush = (): void => {
    const full = batch.subarray(0, filled);
    batch = Buffer.allocUnsafe(size);
    filled = 0;
    send(full);
  };
  source.on('data', (chunk: Buffer) => {
    if (discard) return;
    if (filled + chunk.length > size && filled > 0) flush();
    // A row at least as big as a batch goes as it is (it is not reused by postgres.js).
    if (chunk.length >= size) return send(chunk);
    batch.set(chunk, filled);
    filled += chunk.length;
  });
  source.on('end', () => {
    if (discard) return;
    if (filled > 0) out.push(batch.subarray(0, filled));
    out.push(null);
  });
  source.on('error', (error) => out.destroy(error));
  return out;
}

/**
 * Stream a `COPY … TO STDOUT` statement through `transforms` into `destination`, in
 * chunks of up to `batchBytes` (see COPY_OUT_BATCH_BYTES) rather than one per row.
 *
 * Guard for the postgres.js 3.4 success-path COPY hang (porsager/postgres #499/#917,
 * fix proposed in PR #1016): when the readable pushes back (push() returns false) the
 * library pauses the socket and only resumes it from the readable's read(); if CopyDone
 * arrives in that same paused batch, the stream ends, read() is never called again and
 * every later query on the connection waits forever. Calling the readable's read hook
 * once the data is through resumes the socket; on a socket that is not paused it does
 * nothing.
 *
 * When the pipeline fails (disk full, a transform's error), the rest of the COPY is read,
 * dropped, and only then is the error thrown: while a COPY is in progress postgres.js
 * refuses every query, so the caller's ROLLBACK would fail and its connection would stay
 * reserved, in a transaction, for good. (Cancelling the COPY instead could hit the
 * ROLLBACK that follows it on the same backend.)
 */
export async function copyOut(statement: postgres.PendingQuery<postgres.Row[]>, transforms: Transform[], destination: Writable, options: { end: boolean; batchBytes?: number }): Promise<void> {
  const source = (await statement.readable()) as unknown as CopySource;
  try {
    await pipeline([batched(source, options.batchBytes ?? COPY_OUT_BATCH_BYTES), ...transforms, destination] as unknown as [Readable, Writable], { end: options.end });
  } catch (error) {
    await finished(source).catch(() => undefined);
    throw error;
  } finally {
    source._read?.(0);
  }
}
