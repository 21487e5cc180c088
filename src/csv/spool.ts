import { rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TenantctlError } from '../errors.js';
import { makePrivateTempDir, stageFile } from '../files/private.js';

/** A stream written to a private temp file, so that it can be read more than once. */
export interface Spool {
  path: string;
  bytes: number;
  /** Remove the file (and its folder). */
  remove: () => Promise<void>;
}

/**
 * Copy `input` (standard input) to a file in the temp folder. The direct loader may read
 * its input twice, and a pipe can be read only once; writing ~120 MB costs a fraction of a
 * second against the second write into staging that it saves.
 */
export async function spool(input: Readable, where: string): Promise<Spool> {
  const dir = await makePrivateTempDir(tmpdir(), 'tenantctl-stdin-');
  const path = join(dir, 'input.csv');
  const remove = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    // A private file (0600 in a 0700 folder): standard input is tenant data.
    const file = await stageFile(path);
    await pipeline(input, file.stream).catch(async (error: unknown) => {
      await file.abort();
      throw error;
    });
    await file.commit();
  } catch (error) {
    await remove();
    if (error instanceof TenantctlError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new TenantctlError('CSV_SPOOL', `Cannot keep a copy of ${where} in ${tmpdir()}: ${code === 'ENOSPC' ? 'no space left on the device' : (error as Error).message}.`, {
      hint: 'Import from a file instead of standard input, or point TMPDIR at a folder with room for the whole input.',
    });
  }
  return { path, bytes: (await stat(path)).size, remove };
}
