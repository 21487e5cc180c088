import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { schemaChecksum, seedTenant } from '../tenants/helpers.js';

/**
 * issue 12, item 8: with the registry table dropped, a command naming a tenant says that the
 * registry is gone (not "unknown tenant", which sends the user looking for a typo), with no
 * stack trace, and touches nothing.
 */
describe('commands naming a tenant when the registry table is gone', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await migrateAll(db.sql);
    await seedTenant(db.sql, 'acme', 3);
    await db.sql`drop table public.tenants cascade`;
  });
  afterAll(async () => db?.drop());

  it('refuse with REGISTRY_MISSING and keep the tenant schema as it was', async () => {
    const before = await schemaChecksum(db.sql, 'tenant_acme');
    for (const args of [['tenant', 'show', 'acme'], ['export', 'products', '--tenant', 'acme'], ['tenant', 'erase', 'acme', '--dry-run'], ['migrate', 'up', '--tenant', 'acme']]) {
      const r = await runCli([...args, '--json'], { url: db.url });
      expect(r.code, args.join(' ')).toBe(1);
      expect(JSON.parse(r.stdout).error, args.join(' ')).toMatchObject({ code: 'REGISTRY_MISSING' });
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(await schemaChecksum(db.sql, 'tenant_acme')).toEqual(before);
  });
});
