import { commerce } from '../../src/tenancy/profiles/commerce.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lstat, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importCsv } from '../../src/csv/import.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
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
});
