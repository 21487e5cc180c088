import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';

/** The README's "Output and exit codes" table, situation by situation. */
describe('one exit code per situation', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    for (const slug of ['acme', 'globex']) await addTenantRow(db.sql, slug);
    await migrateAll(db.sql);
  });
  afterAll(async () => db.drop());

  it('migrate status --tenant shows that tenant only, without the shared schema', async () => {
    const json = await runCli(['migrate', 'status', '--tenant', 'acme', '--json'], { url: db.url });
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.shared).toBeUndefined();
    expect(report.tenants).toMatchObject({ total: 1, atLatest: 1 });
    const human = await runCli(['migrate', 'status', '--tenant', 'acme'], { url: db.url });
    expect(human.stdout).not.toContain('shared (public)');
    expect(human.stdout).toMatch(/^tenants +1 · 1 at latest/m);
  });

  it('migrate status --shared-only and --tenants-only print only their part', async () => {
    const shared = await runCli(['migrate', 'status', '--shared-only'], { url: db.url });
    expect(shared.code, shared.stderr).toBe(0);
    expect(shared.stdout).toMatch(/^shared \(public\) +version 0002 of 0002 · up to date$/m);
    expect(shared.stdout).not.toMatch(/^tenants/m);
    const tenants = JSON.parse((await runCli(['migrate', 'status', '--tenants-only', '--json'], { url: db.url })).stdout);
    expect(tenants.shared).toBeUndefined();
    expect(tenants.tenants.total).toBe(2);
  });

  it('an unknown tenant is exit 2 with the unknown-tenant error, and one JSON document under --json', async () => {
    const human = await runCli(['migrate', 'status', '--tenant', 'nosuch'], { url: db.url });
    expect(human.code).toBe(2);
    expect(human.stderr).toContain('Unknown tenant: nosuch');
    expect(human.stdout).toBe('');
    const json = await runCli(['migrate', 'status', '--tenant', 'nosuch', '--json'], { url: db.url });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { message: expect.stringContaining('nosuch') } });
  });

  it('backup verify of a folder that does not exist is a usage error (exit 2), as docs/backup.md says', async () => {
    const missing = join(await mkdtemp(join(tmpdir(), 'tenantctl-nobackup-')), 'nope');
    const result = await runCli(['backup', 'verify', missing], { url: db.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${missing}/manifest.json cannot be read: ENOENT`);
  });

  it('a migrations folder tenantctl would not run, or a bad flag value, is exit 2', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'tenantctl-nomigrations-'));
    expect((await runCli(['migrate', 'up', '--migrations-dir', empty], { url: db.url })).code).toBe(2);
    expect((await runCli(['migrate', 'up', '--concurrency', 'x'], { url: db.url })).code).toBe(2);
  });

  it('fixtures --seed must be a whole number (exit 2)', async () => {
    const result = await runCli(['fixtures', 'generate', '--seed', 'seven'], { url: db.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--seed must be a whole number');
  });
});
