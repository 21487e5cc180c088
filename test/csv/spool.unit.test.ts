import { lstat, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spool } from '../../src/csv/spool.js';

describe('stdin spool', () => {
  let tmp: string;
  const before = process.env.TMPDIR;
  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'spool-test-'));
    process.env.TMPDIR = tmp;
  });
  afterEach(() => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  });

  it('keeps standard input in a 0600 file inside a 0700 folder, and removes both', async () => {
    const kept = await spool(Readable.from(['sku,name\n', 'a,b\n']), 'standard input');
    expect(dirname(dirname(kept.path))).toBe(tmp);
    expect(await readFile(kept.path, 'utf8')).toBe('sku,name\na,b\n');
    expect(kept.bytes).toBe(13);
    expect((await lstat(kept.path)).mode & 0o777).toBe(0o600);
    expect((await lstat(dirname(kept.path))).mode & 0o777).toBe(0o700);
    expect(await readdir(dirname(kept.path))).toEqual(['input.csv']);
    await kept.remove();
    expect(await readdir(tmp)).toEqual([]);
  });
});
