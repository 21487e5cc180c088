import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, spawnCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';
import { seedTenant } from '../tenants/helpers.js';
import { until } from './run-helpers.js';

interface Outcome { schema: string; slug: string; outcome: string; reason?: string }

/**
 * A tenant erased while `migrate up` waits for its schema's lock (the erasure holds it until it
 * commits) is skipped, as a tenant whose schema was already missing when the run was planned
 * is: the run succeeds, and writes nothing about a tenant that no longer exists. A failpoint
 * holds the erasure open before its commit until the run is seen waiting on the lock.
 */
describe('migrate up while a tenant is erased', () => {
  let db: TestDatabase;
  let gates: string;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase('merase');
    await migrateAll(db.sql);
    for (const slug of ['ea', 'eb', 'ec', 'ba', 'bb', 'bc']) await seedTenant(db.sql, slug, 1);
    gates = await mkdtemp(join(tmpdir(), 'tenantctl-migrate-erased-'));
    dir = await migrationsWith({ 'tenant/0002_note.sql': '-- migrate:up\nalter table orders add column note2 text;\n-- migrate:down\nalter table orders drop column note2;\n' });
  });
  afterAll(async () => {
    await db.drop();
    await rm(gates, { recursive: true, force: true });
  });

  const bookkeeping = async (schema: string) => ({
    state: (await db.sql`select count(*)::int as n from tenantctl.schema_state where schema_name = ${schema}`)[0]!.n as number,
    ledger: (await db.sql`select count(*)::int as n from tenantctl.schema_migrations where schema_name = ${schema}`)[0]!.n as number,
  });

  for (const [label, erased, others, flags] of [
    ['one tenant per transaction', 'eb', ['ea', 'ec'], ['--batch-size', '1']],
    ['a batch of tenants', 'bb', ['ba', 'bc'], ['--batch-size', '3', '--concurrency', '1']],
  ] as const) {
    it(`${label}: the erased tenant is skipped, the others are migrated, exit 0, nothing recorded for it`, async () => {
      const gate = join(gates, erased);
      const erase = spawnCli(['tenant', 'erase', erased, '--yes', '--confirm', erased, '--reason', 'erased during a migration'], { url: db.url, env: { TENANTCTL_FAILPOINT: `tenant-erase:before-commit:wait=${gate}` } });
      let eraseErr = '';
      erase.stderr.on('data', (c: Buffer) => (eraseErr += c.toString()));
      const erased$ = new Promise<number | null>((resolve) => erase.on('close', resolve));
      await until(() => existsSync(`${gate}.reached`), 'the erasure to hold its locks before its commit');
      const selected = [erased, ...others].flatMap((s) => ['--tenant', s]);
      const run = runCli(['migrate', 'up', '--migrations-dir', dir, '--json', ...selected, ...flags], { url: db.url });
      await until(async () => (await db.sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted
        and database = (select oid from pg_database where datname = current_database())`)[0]!.n > 0, 'migrate up to wait for the erased schema\'s lock');
      await writeFile(gate, '');
      expect(await erased$, eraseErr).toBe(0);
      const r = await run;
      expect(r.code, r.stdout + r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { tenants: Outcome[]; summary: { skipped: number; failed: number; applied: number } };
      const gone = report.tenants.find((t) => t.slug === erased)!;
      expect(gone.outcome).toBe('skipped');
      expect(gone.reason).toContain('schema does not exist');
      expect(report.summary).toMatchObject({ skipped: 1, failed: 0, applied: 2 });
      for (const slug of others) expect(report.tenants.find((t) => t.slug === slug)!.outcome, slug).toBe('applied');
      expect(await bookkeeping(`tenant_${erased}`)).toEqual({ state: 0, ledger: 0 });
      for (const slug of others) expect((await bookkeeping(`tenant_${slug}`)).ledger, slug).toBe(2);
    });
  }
});
