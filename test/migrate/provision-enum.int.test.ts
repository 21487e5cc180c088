import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';

/** An enum value added by one tenant migration and used by the next: fine per file, not in one provisioning transaction. */
describe('tenant create when a migration uses an enum value an earlier one added', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase('provenum');
    await migrateAll(db.sql);
    dir = await migrationsWith({
      'tenant/0002_state.sql': "-- migrate:up\ncreate type product_state as enum ('draft', 'live');\nalter table products add column state product_state not null default 'draft';\n\n-- migrate:down\nalter table products drop column state;\ndrop type product_state;\n",
      'tenant/0003_retired.sql': "-- migrate:up\nalter type product_state add value 'retired';\n\n-- migrate:down\nselect 1;\n",
      'tenant/0004_use.sql': "-- migrate:up\nupdate products set state = 'retired' where not is_active;\n\n-- migrate:down\nselect 1;\n",
    });
  });
  afterAll(async () => db?.drop());

  it('says why (one transaction) instead of blaming the file, and creates nothing', async () => {
    const r = await runCli(['tenant', 'create', 'enumco', '--name', 'E', '--plan', 'starter', '--owner-email', 'o@enumco.test', '--migrations-dir', dir], { url: db.url });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unsafe use of new value');
    expect(r.stderr).toContain('a new tenant gets every tenant migration in one transaction');
    expect(await db.sql`select 1 from public.tenants where slug = 'enumco'`).toHaveLength(0);
  });
});
