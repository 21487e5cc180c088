import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { addTenantRow, createTestDatabase, migrateAll, type TestDatabase } from '../support/db.js';
import { migrationsWith } from '../support/migrations.js';

/** An erasure takes the tenant out of tenantctl's record of fleet runs (migration_runs), keeping the runs. */
describe('tenant erase and the migration run log', () => {
  let db: TestDatabase;
  let dir: string;
  const cli = (args: string[]) => runCli(args, { url: db.url });
  beforeAll(async () => {
    db = await createTestDatabase('erasehist');
    await migrateAll(db.sql);
    for (const slug of ['leaver', 'stayer']) await addTenantRow(db.sql, slug);
    await migrateAll(db.sql);
    dir = await migrationsWith({ 'tenant/0002_note.sql': '-- migrate:up\nalter table products add column note text;\n\n-- migrate:down\nalter table products drop column note;\n' });
  });
  afterAll(async () => db?.drop());

  it('removes the slug and id from the runs\' selections and the schema from what they destroyed; the runs and the other tenant stay', async () => {
    const [{ id }] = (await db.sql`select id::text from public.tenants where slug = 'leaver'`) as unknown as [{ id: string }];
    expect((await cli(['migrate', 'up', '--migrations-dir', dir])).code).toBe(0);
    // A note to lose: the down runs record tenant_leaver.products.note among what they destroyed.
    const noted = async () => db.sql`insert into tenant_leaver.products (sku, name, note) values (${`S-${Math.random()}`}, 'P', 'x')`;
    for (const who of ['leaver', id, 'stayer']) {
      await noted();
      expect((await cli(['migrate', 'down', '--tenant', who, '--migrations-dir', dir, '--yes', '--drop-data'])).code).toBe(0);
      expect((await cli(['migrate', 'up', '--tenant', who, '--migrations-dir', dir])).code).toBe(0);
    }
    await noted();
    // A run naming both, as one flag.
    expect((await cli(['migrate', 'down', '--tenant', 'leaver,stayer', '--migrations-dir', dir, '--yes', '--drop-data'])).code).toBe(0);
    const runs = Number((await db.sql`select count(*)::int as n from tenantctl.migration_runs`)[0]!.n);
    expect(Number((await db.sql`select count(*)::int as n from tenantctl.migration_runs where destroyed::text like '%tenant_leaver%'`)[0]!.n)).toBeGreaterThan(0);
    const erased = await cli(['tenant', 'erase', 'leaver', '--yes', '--confirm', 'leaver', '--reason', 'test']);
    expect(erased.code, erased.stderr).toBe(0);
    const log = await db.sql`select plan::text as plan, destroyed::text as destroyed from tenantctl.migration_runs`;
    expect(log).toHaveLength(runs);
    for (const run of log) {
      expect(run.plan).not.toContain('leaver');
      expect(run.plan).not.toContain(id);
      expect(run.destroyed).not.toContain('tenant_leaver');
    }
    expect(log.filter((r) => (r.plan as string).includes('"stayer"'))).toHaveLength(3);
  });
});
