import { once } from 'node:events';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { usageError } from '../errors.js';
import { stageFile } from '../files/private.js';

/**
 * `--rejects` naming the input file itself (or a link to it): the rejects file replaces it
 * when the import ends, and the rows being imported are gone. Refused before anything is read.
 */
async function refuseInputAsRejects(rejects: string, input: string | undefined): Promise<void> {
  if (input === undefined || input === '-') return;
  const [a, b] = await Promise.all([stat(rejects).catch(() => null), stat(input).catch(() => null)]);
  if (resolve(rejects) === resolve(input) || (a && b && a.dev === b.dev && a.ino === b.ino)) {
    throw usageError(`--rejects ${rejects} is the input file itself: the rejected rows would replace the file being imported.`, 'Give the rejects a file of their own, e.g. --rejects rejects.csv. Nothing was read or written.');
  }
}

/** One rejected value or record, as the user sees it. */
export interface Finding {
  line: number;
  /** CSV column, or empty for a whole-record problem. */
  column: string;
  value: string | null;
  reason: string;
}

/** `line 7, column selling_price: "12,50" is not a number` */
export function describeFinding(f: Finding): string {
  const value = f.value === null ? 'empty' : JSON.stringify(f.value.length > 80 ? `${f.value.slice(0, 77)}...` : f.value);
  return f.column ? `line ${f.line}, column ${f.column}: ${value} ${f.reason}` : `line ${f.line}: ${f.reason}`;
}

function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The --rejects file (CSV: line, column, value, reason), or a no-op without the flag. */
export interface RejectsWriter {
  write(finding: Finding): Promise<void>;
  close(): Promise<void>;
}

/**
 * Open the rejects file; a finding's NULL value is written as an empty unquoted field. It is
 * a private file (0600, rejected values are tenant data) written under a temporary name and
 * put in place by close(), also when the import fails: that is when it is needed most.
 */
export async function openRejects(path: string | undefined, input?: string): Promise<RejectsWriter> {
  if (!path) return { write: async () => undefined, close: async () => undefined };
  await refuseInputAsRejects(path, input);
  const file = await stageFile(path);
  const out = file.stream;
  out.write('line,column,value,reason\n');
  return {
    async write(f) {
      const ok = out.write(`${f.line},${csvField(f.column)},${f.value === null ? '' : f.value === '' ? '""' : csvField(f.value)},${csvField(f.reason)}\n`);
      if (!ok) await once(out, 'drain');
    },
    close: () => file.commit(),
  };
}
