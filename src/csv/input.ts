import { constants, createReadStream } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { TenantctlError } from '../errors.js';
import { fileFailure } from '../files/fs-errors.js';
import { printablePath } from '../files/private.js';

/** The input, opened as often as a load needs it (a file can be read twice; stdin once). */
export interface Input {
  open: () => Readable;
  reopenable: boolean;
  where: string;
  size: number | undefined;
}

/**
 * A file as input. 1 MiB reads: fewer, larger chunks for the scanner and COPY.
 * The stream's error waits in the stream (its consumer gets it when it starts reading): a loader
 * opens the file before a round trip to the server and reads it after, and an error emitted in
 * between with no listener ended the process with a stack trace.
 */
export function fileInput(path: string, where: string, size: number): Input {
  const open = (): Readable => createReadStream(path, { highWaterMark: 1 << 20 }).on('error', () => undefined);
  return { open, reopenable: true, where, size };
}

/** A path (checked: a regular file) or a stream (read once). */
export async function inputOf(input: string | Readable, sourceName: string | undefined): Promise<Input> {
  if (typeof input !== 'string') return { open: () => input, reopenable: false, where: sourceName ?? 'stdin', size: undefined };
  let size: number;
  try {
    const info = await stat(input);
    if (!info.isFile()) throw new Error('not a regular file');
    size = info.size;
    // Readable by this user, before anything is locked or sent (root reads any file; others may not).
    await access(input, constants.R_OK);
  } catch (error) {
    const failure = fileFailure(error);
    throw new TenantctlError('CSV_FILE', `Cannot read ${printablePath(input)}: ${failure?.what ?? (error as Error).message}.`, {
      hint: `${failure && (error as NodeJS.ErrnoException).code !== 'ENOENT' ? failure.hint : 'Give the path of a CSV file, or - to read standard input.'} Nothing was changed.`,
      exitCode: 2,
    });
  }
  // The name is echoed in every message: escape sequences in it are shown, never sent to the terminal.
  return fileInput(input, printablePath(basename(input)), size);
}
