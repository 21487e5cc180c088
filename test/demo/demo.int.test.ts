import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';

interface FileResult { entity: string; summary: { rows: number; inserted: number; updated: number; unchanged: number } }

describe('demo and fixtures load', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('demo migrates, provisions three tenants, loads the fixtures, and a second run changes nothing', async () => {
    const first = await runCli(['demo', '--json'], { url: db.url });
    expect(first.code, first.stderr).toBe(0);
    const one = JSON.parse(first.stdout);
    expect(one.tenants.map((t: { slug: string; created: boolean }) => [t.slug, t.created])).toEqual([['acme', true], ['globex', true], ['initech', true]]);
    const [{ products, orders }] = await db.sql`select (select count(*)::int from tenant_acme.products) as products, (select count(*)::int from tenant_acme.orders) as orders`;
    expect(products).toBeGreaterThanOrEqual(100);
    expect(orders).toBeGreaterThanOrEqual(100);
    expect(one.sampleExport.lines[0]).toMatch(/^sku,name,/);

    const second = await runCli(['demo', '--json'], { url: db.url });
    expect(second.code, second.stderr).toBe(0);
    const two = JSON.parse(second.stdout);
    expect(two.tenants.every((t: { created: boolean }) => !t.created)).toBe(true);
    for (const tenant of two.fixtures) {
      for (const file of tenant.files as FileResult[]) expect(file.summary).toMatchObject({ inserted: 0, updated: 0 });
    }
    const [{ again }] = await db.sql`select count(*)::int as again from tenant_acme.products`;
    expect(again).toBe(products);

    const human = await runCli(['demo'], { url: db.url });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain('Try next:');
    expect(human.stdout).toMatch(/acme\s+│ Acme Retail/);
  });

  it('suggests backup create only when pg_dump can dump the server, else says what it needs', async () => {
    const [{ major }] = await db.sql`select current_setting('server_version_num')::int / 10000 as major`;
    // A pg_dump one major older than the server (the client tools of a Debian 15 machine against a 16 server).
    const bin = await mkdtemp(join(tmpdir(), 'tenantctl-demo-bin-'));
    try {
      for (const tool of ['pg_dump', 'pg_restore', 'psql']) {
        await writeFile(join(bin, tool), `#!/bin/sh\necho "${tool} (PostgreSQL) ${major - 1}.3"\n`, { mode: 0o755 });
      }
      const old = await runCli(['demo'], { url: db.url, env: { PG_BIN: bin } });
      expect(old.code, old.stderr).toBe(0);
      expect(old.stdout).not.toContain('a backup, then: npx tenantctl backup verify');
      expect(old.stdout).toContain('npx tenantctl backup create                         a backup, once the client tools can dump this server:');
      expect(old.stdout).toMatch(new RegExp(`pg_dump ${major - 1}\\.3 at .* is older than the server \\(PostgreSQL [^)]+\\): pg_dump ${major} or newer is needed\\.`));
      expect(old.stdout).toContain(`Install postgresql-client-${major} (or newer)`);
      for (const tool of ['pg_dump', 'pg_restore', 'psql']) {
        await writeFile(join(bin, tool), `#!/bin/sh\necho "${tool} (PostgreSQL) ${major}.3"\n`, { mode: 0o755 });
      }
      const able = await runCli(['demo'], { url: db.url, env: { PG_BIN: bin } });
      expect(able.code, able.stderr).toBe(0);
      expect(able.stdout).toContain('npx tenantctl backup create                         a backup, then: npx tenantctl backup verify <path>');
    } finally {
      await rm(bin, { recursive: true, force: true });
    }
  });

  it('fixtures load puts the same rows in another tenant, idempotently, and names a bad folder', async () => {
    const create = await runCli(['tenant', 'create', 'loadme', '--name', 'Load Me', '--plan', 'starter', '--owner-email', 'o@loadme.test', '--json'], { url: db.url });
    expect(create.code, create.stderr).toBe(0);
    const first = await runCli(['fixtures', 'load', '--tenant', 'loadme', '--json'], { url: db.url });
    expect(first.code, first.stderr).toBe(0);
    const rows = JSON.parse(first.stdout) as { entity: string; inserted: number; unchanged: number }[];
    expect(rows.map((r) => r.entity)).toEqual(['products', 'orders']);
    expect(rows.every((r) => r.inserted > 0)).toBe(true);
    const again = JSON.parse((await runCli(['fixtures', 'load', '--tenant', 'loadme', '--json'], { url: db.url })).stdout) as { inserted: number; updated: number }[];
    expect(again.every((r) => r.inserted === 0 && r.updated === 0)).toBe(true);

    const missing = await runCli(['fixtures', 'load', '/nonexistent-folder', '--tenant', 'loadme'], { url: db.url });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No fixture files in /nonexistent-folder');
    const badSlug = await runCli(['fixtures', 'load', '--tenant', 'Robert); --'], { url: db.url });
    expect(badSlug.code).toBe(2);
  });
});
