import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';

const SLUGS = ['k1', 'k2', 'k3'];
const ADD_COLUMN = { 'tenant/0003_flag.sql': '-- migrate:up\nalter table products add column lock_probe boolean;\n-- migrate:down\nalter table products drop column lock_probe;\n' };

/**
 * A table lock the application holds (an open transaction that read tenant k2's products):
 * `migrate up --lock-timeout`, libpq's PGOPTIONS and the URL's `options` bound the wait; the
 * blocked schema fails, rolled back, with the lock named as the cause, and the others migrate.
 */
describe('migrate up with a lock timeout', () => {
  let db: TestDatabase;
  let release: () => Promise<void>;
  const probes = async () => (await db.sql`select table_schema from information_schema.columns where column_name = 'lock_probe' order by 1`).map((r) => r.table_schema as string);

  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    for (const slug of SLUGS) await addTenantRow(db.sql, slug);
    await migrateAll(db.sql);
    // The application's transaction: open, holding ACCESS SHARE on k2's products until released.
    const reserved = await db.sql.reserve();
    await reserved`begin`;
    await reserved`select count(*) from tenant_k2.products`;
    release = async () => {
      await reserved`rollback`;
      reserved.release();
    };
  });
  afterAll(async () => {
    await release?.();
    await db?.drop();
  });

  for (const [how, args, env, url] of [
    ['--lock-timeout', ['--lock-timeout', '300ms'], {}, (u: string) => u],
    ['PGOPTIONS', [], { PGOPTIONS: '-c lock_timeout=300' }, (u: string) => u],
    ['the URL\'s options', [], {}, (u: string) => `${u}${u.includes('?') ? '&' : '?'}options=${encodeURIComponent('-c lock_timeout=300')}`],
  ] as const) {
    it(`${how}: the blocked schema fails and is rolled back, the others are migrated`, async () => {
      const dir = await migrationsWith(ADD_COLUMN);
      const r = await runCli(['migrate', 'up', '--migrations-dir', dir, '--continue-on-error', '--concurrency', '1', '--batch-size', '1', ...args, '--json'], { url: url(db.url), env });
      expect(r.code, r.stderr).toBe(1);
      const tenants = JSON.parse(r.stdout).tenants as { slug: string; outcome: string; error?: { code: string; hint: string } }[];
      const blocked = tenants.find((t) => t.slug === 'k2')!;
      expect(blocked.outcome).toBe('failed');
      expect(blocked.error!.code).toBe('55P03');
      expect(blocked.error!.hint).toContain('lock');
      expect(await probes()).toEqual(['tenant_k1', 'tenant_k3']);
      // back to where it was, for the next way
      const down = await runCli(['migrate', 'down', '--migrations-dir', dir, '--tenant', 'k1', '--tenant', 'k3', '--yes'], { url: db.url });
      expect(down.code, down.stderr).toBe(0);
      expect(await probes()).toEqual([]);
    });
  }

  it('refuses a lock timeout that is not a duration, before connecting', async () => {
    const r = await runCli(['migrate', 'up', '--lock-timeout', '5 seconds'], { url: db.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--lock-timeout must be a duration such as 500ms, 5s or 1min (got "5 seconds")');
  });
});
