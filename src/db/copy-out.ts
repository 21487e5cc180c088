import type { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';

/**
 * Stream a `COPY … TO STDOUT` statement through `transforms` into `destination`.
 *
 * Guard for the postgres.js 3.4 success-path COPY hang (porsager/postgres #499/#917,
 * fix proposed in PR #1016): when the readable pushes back (push() returns false) the
 * library pauses the socket and only resumes it from the readable's read(); if CopyDone
 * arrives in that same paused batch, the stream ends, read() is never called again and
 * every later query on the connection waits forever. Calling the readable's read hook
 * once the data is through resumes the socket; on a socket that is not paused it does
 * nothing.
 */
export async function copyOut(statement: postgres.PendingQuery<postgres.Row[]>, transforms: Transform[], destination: Writable, options: { end: boolean }): Promise<void> {
  const readable = (await statement.readable()) as unknown as Readable & { _read?: (size: number) => void };
  try {
    await pipeline([readable, ...transforms, destination] as unknown as [Readable, Writable], { end: options.end });
  } finally {
    readable._read?.(0);
  }
}
