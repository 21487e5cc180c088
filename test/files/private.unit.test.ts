import { execFileSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { chown, lchown, lstat, mkdir, mkdtemp, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAppendOnlyFile, createPrivateDir, printablePath, stageFile, writePrivateFile } from '../../src/files/private.js';
import { TenantctlError } from '../../src/errors.js';
import { readFifo } from '../support/fifo.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'private-'));
});

const mode = async (path: string): Promise<number> => (await lstat(path)).mode & 0o777;

describe('private files', () => {
  it('writes 0600 files under a hidden temporary name and renames them into place', async () => {
    const staged = await stageFile(join(dir, 'out.csv'));
    staged.stream.write('a,b\n');
    expect(await readdir(dir)).toHaveLength(1);
    expect((await readdir(dir))[0]).toMatch(/^\.out\.csv\.[0-9a-f]{12}\.tmp$/);
    await staged.commit();
    expect(await readdir(dir)).toEqual(['out.csv']);
    expect(await readFile(join(dir, 'out.csv'), 'utf8')).toBe('a,b\n');
    expect(await mode(join(dir, 'out.csv'))).toBe(0o600);
  });

  it('replaces a symlink planted at the target instead of writing through it', async () => {
    const victim = join(dir, 'victim');
    await writeFile(victim, 'precious');
    await symlink(victim, join(dir, 'out.csv'));
    await symlink(victim, join(dir, 'out.csv.partial'));
    await writePrivateFile(join(dir, 'out.csv'), 'data');
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect((await lstat(join(dir, 'out.csv'))).isSymbolicLink()).toBe(false);
    expect(await readFile(join(dir, 'out.csv'), 'utf8')).toBe('data');
  });

  it('abort leaves nothing behind and the existing file untouched', async () => {
    await writeFile(join(dir, 'keep.csv'), 'old');
    const staged = await stageFile(join(dir, 'keep.csv'));
    staged.stream.write('new');
    await staged.abort();
    expect(await readdir(dir)).toEqual(['keep.csv']);
    expect(await readFile(join(dir, 'keep.csv'), 'utf8')).toBe('old');
  });

  it('abort after the stream has finished and closed returns, leaving no temporary file', async () => {
    await writeFile(join(dir, 'keep.csv'), 'old');
    const staged = await stageFile(join(dir, 'keep.csv'));
    staged.stream.end('new');
    await finished(staged.stream);
    await new Promise((done) => setImmediate(done)); // 'close' follows 'finish'
    expect(staged.stream.closed).toBe(true);
    // Before the fix abort() waited for a second 'close' that never comes: the command hung.
    const outcome = await Promise.race([staged.abort().then(() => 'aborted'), new Promise((done) => setTimeout(done, 2000, 'hung'))]);
    expect(outcome).toBe('aborted');
    expect(await readdir(dir)).toEqual(['keep.csv']);
    expect(await readFile(join(dir, 'keep.csv'), 'utf8')).toBe('old');
  });

  it('writes straight into a FIFO at the path: a waiting reader gets the bytes and the FIFO stays', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const read = readFifo(fifo, 3000);
    const staged = await stageFile(fifo);
    expect(staged.inPlace).toBe(true);
    staged.stream.write('a,b\n');
    await staged.commit();
    expect(await read).toBe('a,b\n');
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await readdir(dir)).toEqual(['pipe']);
  });

  it('writes through our own link to a character device (as /dev/stdout is one), leaving link and device', async () => {
    const out = join(dir, 'null');
    await symlink('/dev/null', out);
    await writePrivateFile(out, 'data');
    expect((await lstat(out)).isSymbolicLink()).toBe(true);
    expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
    expect(await readdir(dir)).toEqual(['null']);
  });

  it.runIf(process.getuid?.() === 0)('never follows a link to a device that another user may have planted: it is replaced', async () => {
    const out = join(dir, 'null');
    await symlink('/dev/null', out);
    await lchown(out, 65534, 65534);
    await writePrivateFile(out, 'data');
    expect((await lstat(out)).isFile()).toBe(true);
    expect(await readFile(out, 'utf8')).toBe('data');
    expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
  });

  it.runIf(process.getuid?.() === 0)('never writes into a named pipe another user made at the path (their reader would get the data): it is replaced', async () => {
    const out = join(dir, 'pipe');
    execFileSync('mkfifo', [out]);
    await chown(out, 65534, 65534);
    await writePrivateFile(out, 'secret rows');
    expect((await lstat(out)).isFile()).toBe(true);
    expect((await stat(out)).uid).toBe(0);
    expect(await readFile(out, 'utf8')).toBe('secret rows');
  });

  it('refuses a block device (behind our link): a disk is neither written nor replaced', async () => {
    const disk = (await readdir('/dev')).map((name) => join('/dev', name)).find((path) => lstatSync(path).isBlockDevice());
    if (!disk) return; // none on this machine
    const out = join(dir, 'disk');
    await symlink(disk, out);
    await expect(stageFile(out)).rejects.toMatchObject({ code: 'FILE_WRITE', details: { errno: 'ENOTSUP' } });
    expect((await lstat(out)).isSymbolicLink()).toBe(true);
    expect(await readdir(dir)).toEqual(['disk']);
  });

  it('refuses to replace an existing file when overwrite is off, with a clear error', async () => {
    await writeFile(join(dir, 'x'), 'old');
    const error = await writePrivateFile(join(dir, 'x'), 'new', { overwrite: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TenantctlError);
    expect((error as TenantctlError).message).toContain('already exists');
    expect(await readFile(join(dir, 'x'), 'utf8')).toBe('old');
  });

  it('refuses a folder standing at the file name before anything is written', async () => {
    await mkdir(join(dir, 'out.csv'));
    await expect(stageFile(join(dir, 'out.csv'))).rejects.toMatchObject({ code: 'FILE_WRITE', details: { errno: 'EISDIR' } });
    expect(await readdir(dir)).toEqual(['out.csv']);
  });

  it('names a missing folder instead of creating it or throwing a raw errno', async () => {
    const error = (await stageFile(join(dir, 'nope', 'x.csv')).catch((e: unknown) => e)) as TenantctlError;
    expect(error.code).toBe('FILE_WRITE');
    expect(error.message).toContain('its folder does not exist');
    expect(error.hint).toBeTruthy();
  });

  it('creates private folders 0700 and refuses one that exists', async () => {
    await createPrivateDir(join(dir, 'a', 'b'));
    expect(await mode(join(dir, 'a'))).toBe(0o700);
    expect(await mode(join(dir, 'a', 'b'))).toBe(0o700);
    await mkdir(join(dir, 'c'));
    await expect(createPrivateDir(join(dir, 'c'))).rejects.toThrow(/already exists/);
  });

  it('creates append-only files 0600 and exclusively: never an existing file, never through a link', async () => {
    const handle = await createAppendOnlyFile(join(dir, 'archive.csv'));
    await handle.write('a\n');
    await handle.write('b\n');
    await handle.close();
    expect(await readFile(join(dir, 'archive.csv'), 'utf8')).toBe('a\nb\n');
    expect(await mode(join(dir, 'archive.csv'))).toBe(0o600);
    await expect(createAppendOnlyFile(join(dir, 'archive.csv'))).rejects.toMatchObject({ code: 'FILE_WRITE', details: { errno: 'EEXIST' } });
    await writeFile(join(dir, 'victim'), 'precious');
    await symlink(join(dir, 'victim'), join(dir, 'planted.csv'));
    await expect(createAppendOnlyFile(join(dir, 'planted.csv'))).rejects.toBeInstanceOf(TenantctlError);
    expect(await readFile(join(dir, 'victim'), 'utf8')).toBe('precious');
  });

  it('shows control characters in paths escaped, never raw', () => {
    expect(printablePath('a\u001b[31mb\n')).toBe('a\\x1b[31mb\\x0a');
  });
});
