import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';

/**
 * A file the user running tenantctl may not read. Root reads any file, so a suite run as root
 * runs the CLI as `nobody` (uid 65534), with the password in the URL (the suite's passfile is
 * root's); as anyone else, mode 000 is enough.
 */
const ROOT = process.getuid?.() === 0;
const AS = ROOT ? { uid: 65534, gid: 65534 } : undefined;

async function urlFor(url: string): Promise<string> {
  if (!ROOT) return url;
  const parsed = new URL(url);
  const passfile = parsed.searchParams.get('passfile');
  if (!passfile) return url;
  parsed.password = (await readFile(passfile, 'utf8')).split('\n')[0]!.split(':').slice(4).join(':');
  parsed.searchParams.delete('passfile');
  return parsed.toString();
}

/** A folder anyone can enter (mkdtemp's is 0700), so that only the file itself is unreadable. */
async function openFolder(dir: string): Promise<string> {
  await chmod(dir, 0o755);
  return dir;
}

describe('an unreadable file is named, with why and what to do, and nothing is changed', () => {
  let db: TestDatabase;
  let url: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    await addTenantRow(db.sql, 'ua');
    await migrateAll(db.sql);
    url = await urlFor(db.url);
  });
  afterAll(async () => db.drop());

  it('a migration file: migrate up and tenant create say which file and that permission is denied', async () => {
    const dir = await openFolder(await migrationsWith({ 'tenant/0099_hidden.sql': '-- migrate:up\ncreate table hidden (i int);\n-- migrate:down\ndrop table hidden;\n' }));
    const file = join(dir, 'tenant/0099_hidden.sql');
    await chmod(file, 0o000);
    for (const args of [['migrate', 'up'], ['tenant', 'create', 'ub', '--name', 'UB', '--plan', 'starter', '--owner-email', 'o@ub.test']]) {
      const result = await runCli([...args, '--migrations-dir', dir], { url, as: AS, cwd: dir });
      expect([args[0], result.code]).toEqual([args[0], 1]);
      expect(result.stderr).toContain(`Cannot open ${file}: permission denied (EACCES).`);
      expect(result.stderr).toMatch(/hint: Check the permissions and owner of .*0099_hidden\.sql/);
      expect(result.stderr).not.toContain('not expected');
    }
    expect((await db.sql`select to_regclass('tenant_ua.hidden') as t, (select count(*)::int from public.tenants where slug = 'ub') as ub`)[0]).toEqual({ t: null, ub: 0 });
  });

  it('a CSV file: import refuses it before it locks or loads anything, without a crash', async () => {
    const dir = await openFolder(await mkdtemp(join(tmpdir(), 'tenantctl-unreadable-')));
    const file = join(dir, 'products.csv');
    await writeFile(file, 'sku,name,price\nu-1,Hidden,1.00\n');
    await chmod(file, 0o000);
    const result = await runCli(['import', 'products', file, '--tenant', 'ua', '--json'], { url, as: AS, cwd: dir });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).error).toMatchObject({ code: 'CSV_FILE', message: `Cannot read ${file}: permission denied (EACCES).` });
    expect(result.stderr).not.toContain('node:events');
    expect((await db.sql`select count(*)::int as n from tenant_ua.products where sku = 'u-1'`)[0]!.n).toBe(0);
  });
});
