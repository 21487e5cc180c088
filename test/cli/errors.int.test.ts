import { randomBytes } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { fixture, scratch, withTenants } from '../csv/helpers.js';

const STACK = /^\s+at |PostgresError|URIError/m;

/** Failures a user meets: each says what, where and what to do, without a stack trace. */
describe('errors without stack traces', () => {
  let db: TestDatabase;
  const role = `ro_${randomBytes(5).toString('hex')}`;
  beforeAll(async () => {
    db = await createTestDatabase('err');
    await withTenants(db, 'acme');
  });
  afterAll(async () => {
    await db?.sql.unsafe(`drop owned by ${role}`).catch(() => undefined);
    await db?.sql.unsafe(`drop role if exists ${role}`);
    await db?.drop();
  });

  it('a role without USAGE on schema tenantctl is told which grant it lacks', async () => {
    await db.sql.unsafe(`create role ${role} login password 'ro-pass-1'`);
    await db.sql.unsafe(`grant select on all tables in schema public to ${role}`);
    const url = new URL(db.url);
    url.username = role;
    url.password = 'ro-pass-1';
    url.search = '';
    const r = await runCli(['tenant', 'list'], { url: url.toString() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: Role "${role}" lacks a privilege tenantctl needs in database "${db.name}"`);
    expect(r.stderr).toContain('permission denied for schema tenantctl');
    expect(r.stderr).toContain(`hint: Grant it: GRANT USAGE ON SCHEMA tenantctl TO "${role}";`);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).not.toContain('ro-pass-1');
    const json = await runCli(['tenant', 'list', '--json'], { url: url.toString() });
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'PERMISSION_DENIED', details: { sqlstate: '42501', user: role } });
    // --debug still shows where it happened.
    expect((await runCli(['tenant', 'list', '--debug'], { url: url.toString() })).stderr).toMatch(/^\s+at /m);
  });

  it('a binary file given as CSV is named as such, with a short escaped sample', async () => {
    const dir = scratch();
    const binary = join(dir, 'photo.csv');
    await writeFile(binary, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), randomBytes(8000)]));
    const r = await runCli(['import', 'products', binary, '--tenant', 'acme'], { url: db.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: photo.csv is not a text (CSV) file: it holds binary data, starting "\\x89PNG\\x0d\\x0a\\x1a\\x0a');
    expect(r.stderr.length).toBeLessThan(600);
    expect(r.stderr).not.toMatch(STACK);
    // A CSV file with one stray NUL byte near the top: where it is, and how to remove it.
    const stray = join(dir, 'stray.csv');
    await writeFile(stray, Buffer.from('sku,name,description,selling_price\nN1,ok,,1\nN2,nul\u0000here,,1\n'));
    const s = await runCli(['import', 'products', stray, '--tenant', 'acme'], { url: db.url });
    expect(s.code).toBe(2);
    expect(s.stderr).toContain('it holds binary data (a NUL byte at line 3, byte 51)');
    expect(s.stderr).toContain("remove the NUL bytes (tr -d '\\000')");
  });

  it('terminal escape sequences in file names are printed escaped', async () => {
    const dir = scratch();
    const name = 'evil\u001b]0;pwned\u0007\u001b[2J.csv';
    await copyFile(fixture('products.csv'), join(dir, name));
    const imported = await runCli(['import', 'products', join(dir, name), '--tenant', 'acme'], { url: db.url });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('from evil\\x1b]0;pwned\\x07\\x1b[2J.csv');
    const exported = await runCli(['export', 'products', '--tenant', 'acme', '--out', join(dir, `out-${name}`)], { url: db.url });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('out-evil\\x1b]0;pwned\\x07\\x1b[2J.csv');
    const missing = await runCli(['import', 'products', join(dir, `missing-${name}`), '--tenant', 'acme'], { url: db.url });
    expect(missing.code).toBe(2);
    for (const out of [imported, exported, missing]) expect(out.stdout + out.stderr).not.toContain('\u001b');
    expect(await readFile(join(dir, `out-${name}`), 'utf8')).toMatch(/^sku,/);
  });

  it('tenant list after the registry table is dropped says so and what to do', async () => {
    await db.sql`drop table public.tenants cascade`;
    const r = await runCli(['tenant', 'list'], { url: db.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: The tenant registry table public.tenants is missing in database "${db.name}"`);
    expect(r.stderr).toContain('hint: If this is a new database, run `tenantctl migrate up` first; otherwise this is the wrong database (it came from DATABASE_URL)');
    expect(r.stderr).not.toMatch(STACK);
  });
});
