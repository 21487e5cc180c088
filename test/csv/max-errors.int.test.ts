import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { fixture, scratch, withTenants } from './helpers.js';

/** issue 12, item 7: the README's broken-file example loads part of the file; the exit code and summary must say so. */
describe('import --max-errors with rejected rows', () => {
  let db: TestDatabase;
  const dir = scratch();
  beforeAll(async () => {
    db = await createTestDatabase();
    await withTenants(db, 'acme');
  });
  afterAll(async () => db.drop());

  it("the README example exits 1 and says the other rows were loaded (they were, and they are audited)", async () => {
    const rejects = join(dir, 'rejects.csv');
    const r = await runCli(['import', 'products', fixture('broken/products.csv'), '--tenant', 'acme', '--max-errors', '10', '--rejects', rejects], { url: db.url });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain(`INCOMPLETE: 8 rows were rejected (listed in ${rejects}); the other rows were loaded and committed (--max-errors 10). Exit code 1.`);
    const [{ n }] = await db.sql`select count(*)::int as n from tenant_acme.products`;
    expect(n).toBe(2);
    expect((await readFile(rejects, 'utf8')).trim().split('\n')).toHaveLength(9);
    const [audit] = await db.sql`select new_values from public.audit_logs where action = 'csv.import' order by created_at desc limit 1`;
    expect(audit!.new_values).toMatchObject({ inserted: 2, rejected: 8 });
  });

  it('--json: one document with complete false, exit 1; a dry run says the same without writing', async () => {
    const r = await runCli(['import', 'products', fixture('broken/products.csv'), '--tenant', 'acme', '--max-errors', '10', '--json'], { url: db.url });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ complete: false, rejected: 8, maxErrors: 10, unchanged: 2 });
    const dry = await runCli(['import', 'products', fixture('broken/products.csv'), '--tenant', 'acme', '--max-errors', '10', '--dry-run'], { url: db.url });
    expect(dry.code).toBe(1);
    expect(dry.stdout).toContain('the other rows would be loaded');
  });

  it('a clean file under --max-errors is complete and exits 0', async () => {
    const r = await runCli(['import', 'products', fixture('products.csv'), '--tenant', 'acme', '--max-errors', '10', '--json'], { url: db.url });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ complete: true, rejected: 0 });
  });
});
