import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { TenantctlError } from '../errors.js';
import { printablePath } from '../files/private.js';

/** The input, opened as often as a load needs it (a file can be read twice; stdin once). */
export interface Input {
  open: () => Readable;
  reopenable: boolean;
  where: string;
  size: number | undefined;
}

/** A file as input. 1 MiB reads: fewer, larger chunks for the scanner and COPY. */
export function fileInput(path: string, where: string, size: number): Input {
  return { open: () => createReadStream(path, { highWaterMark: 1 << 20 }), reopenable: true, where, size };
}

/** A path (checked: a regular file) or a stream (read once). */
export async function inputOf(input: string | Readable, sourceName: string | undefined): Promise<Input> {
  if (typeof input !== 'string') return { open: () => input, reopenable: false, where: sourceName ?? 'stdin', size: undefined };
  let size: number;
  try {
    const info = await stat(input);
    if (!info.isFile()) throw new Error('not a regular file');
    size = info.size;
  } catch (error) {
    throw new TenantctlError('CSV_FILE', `Cannot read ${printablePath(input)}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}.`, {
      hint: 'Give the path of a CSV file, or - to read standard input.',
      exitCode: 2,
    });
  }
  // The name is echoed in every message: escape sequences in it are shown, never sent to the terminal.
  return fileInput(input, printablePath(basename(input)), size);
}
