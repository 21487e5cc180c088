import { commerce } from '../../src/tenancy/profiles/commerce.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { lstat, open, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importCsv } from '../../src/csv/import.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { readFifo } from '../support/fifo.js';
import { fixture, scratch, withTenants } from './helpers.js';

const mode = async (path: string): Promise<number> => (await lstat(path)).mode & 0o777;

/** Files export and import write: never through a planted link, private, and clear errors for bad paths. */
describe('files written by export and import', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await withTenants(db, 'acme');
    await importCsv(db.sql, { profile: commerce, entity: 'products', tenant: 'acme', input: fixture('products.csv') });
  });
  afterAll(async () => db.drop());

  /** The export as a regular file gets it, to compare what other targets receive. */
  const asFile = async (): Promise<string> => {
    const out = join(scratch(), 'products.csv');
    expect((await runCli(['export', 'products', '--tenant', 'acme', '--out', out], { url: db.url })).code).toBe(0);
    return readFile(out, 'utf8');
  };

  for (const jobs of ['1', '3']) {
    it(`export --out (--jobs ${jobs}) replaces links planted at the file and at file.partial, never writing through them`, async () => {
      const dir = scratch();
      const victim = join(dir, 'victim');
      await writeFile(victim, 'precious');
      const out = join(dir, 'products.csv');
      await symlink(victim, out);
      await symlink(victim, `${out}.partial`);
      const r = await runCli(['export', 'products', '--tenant', 'acme', '--out', out, '--jobs', jobs, '--json'], { url: db.url });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ jobs: Number(jobs), rows: 300 });
      expect(await readFile(victim, 'utf8')).toBe('precious');
      expect((await lstat(out)).isFile()).toBe(true);
      expect(await mode(out)).toBe(0o600);
      expect(await readFile(out, 'utf8')).toMatch(/^sku,name,/);
      // Nothing else left in the folder: no spool folder, no temporary name.
      expect((await readdir(dir)).sort()).toEqual(['products.csv', 'products.csv.partial', 'victim']);
    });
  }

  it('export --out into a folder that does not exist is a clear error, not a stack trace', async () => {
    const r = await runCli(['export', 'products', '--tenant', 'acme', '--out', '/nonexistent/dir/x.csv'], { url: db.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: Cannot write /nonexistent/dir/x.csv: its folder does not exist.');
    expect(r.stderr).toContain('hint: Create the folder first');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain('ENOENT:');
    const json = await runCli(['export', 'products', '--tenant', 'acme', '--out', '/nonexistent/dir/x.csv', '--json'], { url: db.url });
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'FILE_WRITE', details: { errno: 'ENOENT' } });
  });

  it('--rejects replaces a planted link instead of writing through it, and is private', async () => {
    const dir = scratch();
    const victim = join(dir, 'victim');
    await writeFile(victim, 'precious');
    const rejects = join(dir, 'rejects.csv');
    await symlink(victim, rejects);
    const r = await runCli(['import', 'products', fixture('broken/products.csv'), '--tenant', 'acme', '--rejects', rejects], { url: db.url });
    expect(r.code).toBe(1);
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect((await lstat(rejects)).isFile()).toBe(true);
    expect(await mode(rejects)).toBe(0o600);
    expect((await readFile(rejects, 'utf8')).split('\n')[0]).toBe('line,column,value,reason');
  });

  for (const jobs of ['1', '3']) {
    it(`export --out (--jobs ${jobs}) writes straight into a named pipe a reader waits on, and leaves the pipe`, async () => {
      const dir = scratch();
      const fifo = join(dir, 'products.pipe');
      execFileSync('mkfifo', [fifo]);
      const read = readFifo(fifo);
      const r = await runCli(['export', 'products', '--tenant', 'acme', '--out', fifo, '--jobs', jobs, '--json'], { url: db.url });
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ rows: 300, output: fifo, jobs: Number(jobs) });
      expect(await read).toBe(await asFile());
      expect((await lstat(fifo)).isFIFO()).toBe(true);
      expect(await readdir(dir)).toEqual(['products.pipe']);
    });
  }

  it('export --out naming its own standard output (here a socket, through a link to /dev/stdout) writes there and leaves the link', async () => {
    // Our link in a scratch folder, not /dev/stdout itself: the old code, run as root, would replace the system's.
    const dir = scratch();
    const out = join(dir, 'stdout');
    await symlink('/dev/stdout', out);
    const r = await runCli(['export', 'products', '--tenant', 'acme', '--out', out], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(await asFile());
    expect(r.stderr).toContain('exported products of acme to stdout');
    expect((await lstat(out)).isSymbolicLink()).toBe(true);
    expect(await readdir(dir)).toEqual(['stdout']);
  });

  it('export --out /dev/stdout (through our link) with standard output redirected to a file writes that file and leaves the link', async () => {
    const dir = scratch();
    const out = join(dir, 'stdout');
    await symlink('/dev/stdout', out);
    const redirected = await open(join(dir, 'redirected.csv'), 'w');
    const r = await runCli(['export', 'products', '--tenant', 'acme', '--out', out], { url: db.url, stdoutFd: redirected.fd }).finally(() => redirected.close());
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(join(dir, 'redirected.csv'), 'utf8')).toBe(await asFile());
    expect((await lstat(out)).isSymbolicLink()).toBe(true);
    expect((await readdir(dir)).sort()).toEqual(['redirected.csv', 'stdout']);
  });

  it('import --rejects naming its own standard output when that cannot be opened by name (a socket) is refused, the link kept', async () => {
    const dir = scratch();
    const rejects = join(dir, 'stdout');
    await symlink('/dev/stdout', rejects);
    const r = await runCli(['import', 'products', fixture('broken/products.csv'), '--tenant', 'acme', '--rejects', rejects, '--json'], { url: db.url });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'FILE_WRITE', details: { errno: 'EBUSY' } });
    expect((await lstat(rejects)).isSymbolicLink()).toBe(true);
    expect(await readdir(dir)).toEqual(['stdout']);
  });

  it('import --rejects writes straight into a named pipe', async () => {
    const dir = scratch();
    const fifo = join(dir, 'rejects.pipe');
    execFileSync('mkfifo', [fifo]);
    const read = readFifo(fifo);
    const r = await runCli(['import', 'products', fixture('broken/products.csv'), '--tenant', 'acme', '--rejects', fifo], { url: db.url });
    expect(r.code).toBe(1);
    expect((await read)?.split('\n')[0]).toBe('line,column,value,reason');
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await readdir(dir)).toEqual(['rejects.pipe']);
  });

  it('export --out - writes to standard output (as import reads - from standard input), never a file named -', async () => {
    const dir = scratch();
    const r = await runCli(['export', 'products', '--tenant', 'acme', '--out', '-', '--json'], { url: db.url, cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(await asFile());
    expect(JSON.parse(r.stderr)).toMatchObject({ rows: 300, output: 'stdout' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('export --out that fails after the rows are written (export_logs refuses the row) exits 1 with the error, leaving no temporary file', async () => {
    const dir = scratch();
    const out = join(dir, 'products.csv');
    await writeFile(out, 'old');
    await db.sql.unsafe(`create function tenant_acme.refuse_log() returns trigger language plpgsql as $$ begin raise exception 'no export_logs rows today'; end $$;
      create trigger refuse_log before insert on tenant_acme.export_logs for each row execute function tenant_acme.refuse_log()`);
    try {
      const r = await runCli(['export', 'products', '--tenant', 'acme', '--out', out, '--json'], { url: db.url });
      expect(r.code, r.stderr).toBe(1);
      expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'CSV_EXPORT_FAILED' });
      expect(r.stderr).toContain('no export_logs rows today');
      expect(await readdir(dir)).toEqual(['products.csv']);
      expect(await readFile(out, 'utf8')).toBe('old');
    } finally {
      await db.sql.unsafe('drop function tenant_acme.refuse_log() cascade');
    }
  });

  it('export --out on a full disk (/dev/full) names the file, the reason and what to do (exit 1), never "not expected"', async () => {
    for (const jobs of ['1', '3']) {
      const r = await runCli(['export', 'products', '--tenant', 'acme', '--out', '/dev/full', '--jobs', jobs], { url: db.url });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain('error: Cannot write /dev/full: no space left on the device.');
      expect(r.stderr).toContain('hint: The disk is full');
      expect(r.stderr).not.toContain('This was not expected');
      const json = await runCli(['export', 'products', '--tenant', 'acme', '--out', '/dev/full', '--jobs', jobs, '--json'], { url: db.url });
      expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'FILE_WRITE', details: { path: '/dev/full', errno: 'ENOSPC' } });
    }
  });
});
